import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// The whole-body opt-ins of the plugin protocol through a real gateway: a plugin that reads (and
/// may replace) the request body, after a plugin that waited on I/O, a later plugin with a smaller
/// limit, and an optional response rewrite with `.stream` overflow.
@Suite struct BodyBufferingTests {
    /// Holds request bodies up to `value` bytes; tells the upstream how many it saw, and upper-cases
    /// the body when the request says `X-Upper`.
    struct RequestPeekPlugin: ConfigurablePlugin {
        static let name = "request-peek"
        static let priority = 500
        let limit: Int

        init(configuration: ValueConfig, context: PluginBuildContext) { limit = Int(configuration.value) ?? 0 }

        func requestBodyBufferLimit(_ context: RequestContext) -> Int? { limit }

        func access(_ context: RequestContext) -> AccessStep {
            guard let body = context.requestBody else { return .respond(.message(.internalServerError, "no body")) }
            context.requestHeaders.replaceOrAdd(name: "x-seen-bytes", value: String(body.readableBytes))
            if context.requestHeaders.contains(name: "x-upper") {
                context.replaceRequestBody(ByteBuffer(string: String(buffer: body).uppercased()))
            }
            return .proceed
        }
    }

    /// Stamps the size of response bodies up to `value` bytes on their head as `X-Seen-Bytes` (an
    /// optional rewrite: larger bodies stream unchanged).
    struct ResponsePeekPlugin: ConfigurablePlugin {
        static let name = "response-peek"
        static let priority = 400
        let limit: Int

        init(configuration: ValueConfig, context: PluginBuildContext) { limit = Int(configuration.value) ?? 0 }

        func responseBodyBuffering(_ context: RequestContext, head: HTTPResponseHead) -> ResponseBodyBuffering? {
            ResponseBodyBuffering(maxBytes: limit, overflow: .stream)
        }

        func responseBody(_ context: RequestContext, head: inout HTTPResponseHead, body: inout ByteBuffer) {
            head.headers.replaceOrAdd(name: "x-seen-bytes", value: String(body.readableBytes))
        }
    }

    /// Runs after `request-peek` with its own, smaller limit on the same body; tells the upstream
    /// how many bytes it saw in `X-Later-Seen-Bytes`.
    struct LaterPeekPlugin: ConfigurablePlugin {
        static let name = "later-peek"
        static let priority = 450
        let limit: Int

        init(configuration: ValueConfig, context: PluginBuildContext) { limit = Int(configuration.value) ?? 0 }

        func requestBodyBufferLimit(_ context: RequestContext) -> Int? { limit }

        func access(_ context: RequestContext) -> AccessStep {
            let seen = context.requestBody?.readableBytes ?? -1
            context.requestHeaders.replaceOrAdd(name: "x-later-seen-bytes", value: String(seen))
            return .proceed
        }
    }

    static let registry = PluginRegistry([
        .of(RequestPeekPlugin.self), .of(LaterPeekPlugin.self), .of(ResponsePeekPlugin.self), .of(GatePlugin.self),
    ])

    static let config = """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
        services:
          - url: http://{{UPSTREAM}}
            routes:
              - paths: [/peek]
                strip_path: false
                plugins:
                  - name: request-peek
                    config: {value: "1000"}
              - paths: [/slow-peek]
                strip_path: false
                plugins:
                  - name: gate
                    config: {value: slow, delay_ms: 30}
                  - name: request-peek
                    config: {value: "1000"}
              - paths: [/two-peeks]
                strip_path: false
                plugins:
                  - name: request-peek
                    config: {value: "1000"}
                  - name: later-peek
                    config: {value: "500"}
              - paths: [/bytes]
                strip_path: false
                plugins:
                  - name: response-peek
                    config: {value: "1000"}
        """

    @Test func aPluginSeesAndReplacesTheWholeRequestBody() async throws {
        try await withGateway(Self.config, registry: Self.registry) { gateway, _ in
            let seen = try await gateway.request(.POST, "/peek/mirror", body: ByteBuffer(string: "hello"))
            #expect(try (seen.json()["headers"] as? [String: String])?["x-seen-bytes"] == "5")
            #expect(try seen.json()["body_bytes"] as? Int == 5)

            let connection = try await gateway.connect()
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/slow-peek/mirror")
            head.headers.add(name: "Transfer-Encoding", value: "chunked")
            head.headers.add(name: "X-Upper", value: "1")
            let replaced = try await connection.streamed(
                head: head,
                parts: [ByteBuffer(string: "abc"), ByteBuffer(string: "def")],
                pause: .milliseconds(50)
            )
            let echoed = try replaced.json()
            let headers = try #require(echoed["headers"] as? [String: String])
            #expect(headers["x-seen-bytes"] == "6")
            #expect(headers["content-length"] == "6")
            #expect(headers["transfer-encoding"] == nil)
            await connection.close()
        }
    }

    @Test func aRequestBodyOverTheLimitGets413() async throws {
        try await withGateway(Self.config, registry: Self.registry) { gateway, upstream in
            let response = try await gateway.request(.POST, "/peek/mirror", body: ByteBuffer(repeating: 0x61, count: 1001))
            #expect(response.status == 413)
            #expect(try response.json()["message"] as? String == "Request size limit exceeded")
            #expect(upstream.accepts == 0)
        }
    }

    @Test func aBodyReadForAnEarlierPluginIsHeldToALaterPluginsLimit() async throws {
        try await withGateway(Self.config, registry: Self.registry) { gateway, upstream in
            let tooLarge = try await gateway.request(.POST, "/two-peeks/mirror", body: ByteBuffer(repeating: 0x61, count: 600))
            #expect(tooLarge.status == 413)
            #expect(try tooLarge.json()["message"] as? String == "Request size limit exceeded")
            #expect(upstream.accepts == 0)

            let fits = try await gateway.request(.POST, "/two-peeks/mirror", body: ByteBuffer(repeating: 0x61, count: 400))
            let headers = try #require(try fits.json()["headers"] as? [String: String])
            #expect(headers["x-seen-bytes"] == "400")
            #expect(headers["x-later-seen-bytes"] == "400")
        }
    }

    @Test func optionalRewritesStreamWhatIsOverTheirLimit() async throws {
        try await withGateway(Self.config, registry: Self.registry) { gateway, _ in
            let small = try await gateway.request(.GET, "/bytes/900")
            #expect(small.headers.first(name: "x-seen-bytes") == "900")
            #expect(small.headers.first(name: "content-length") == "900")
            #expect(small.headers.first(name: "transfer-encoding") == nil)
            #expect(small.body == TestPattern.chunk(offset: 0, size: 900))

            let large = try await gateway.request(.GET, "/bytes/300000")
            #expect(large.status == 200)
            #expect(large.headers.first(name: "x-seen-bytes") == nil)
            #expect(large.body.readableBytes == 300_000)
            var expected = ByteBuffer()
            var offset = 0
            while offset < 300_000 {
                var part = TestPattern.chunk(offset: offset, size: min(65_536, 300_000 - offset))
                expected.writeBuffer(&part)
                offset += 65_536
            }
            #expect(large.body == expected)
        }
    }
}
