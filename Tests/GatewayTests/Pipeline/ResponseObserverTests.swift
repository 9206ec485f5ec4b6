import Gateway
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// `RequestContext.observeResponse` through a real gateway: observers see every response as its
/// producer made it (upstream or local, with or without a body, held for a rewriting plugin or not),
/// and observing changes nothing the client gets.
@Suite struct ResponseObserverTests {
    /// What an observer saw of one response.
    struct Observation: Sendable {
        var status = 0
        /// The head already carried what the response phase adds (it must not).
        var headWasStamped = false
        var body = ByteBuffer()
        var ended = false
    }

    /// What observers saw, by request id.
    static let observed = Mutex<[String: Observation]>([:])

    static func observation(of response: TestResponse) throws -> Observation? {
        let id = try #require(response.headers.first(name: "X-Request-Id"))
        return observed.withLock { $0[id] }
    }

    final class Recorder: ResponseObserver {
        var observation = Observation()
        func responseHead(_ head: HTTPResponseHead, context: RequestContext) {
            observation.status = Int(head.status.code)
            observation.headWasStamped = head.headers.contains(name: "x-stamped")
        }
        func responseBody(_ chunk: ByteBuffer, context: RequestContext) { observation.body.writeImmutableBuffer(chunk) }
        func responseEnd(context: RequestContext) {
            observation.ended = true
            let seen = observation
            ResponseObserverTests.observed.withLock { $0[context.requestID] = seen }
        }
    }

    /// `X-Observe`: records the response; `X-Answer: N`: answers N from the gateway after that.
    struct ObservePlugin: ConfigurablePlugin {
        static let name = "observe"
        static let priority = 600

        init(configuration: ValueConfig, context: PluginBuildContext) {}

        func access(_ context: RequestContext) -> AccessStep {
            if context.requestHeaders.contains(name: "x-observe") { context.observeResponse(Recorder()) }
            if let status = context.requestHeaders.first(name: "x-answer").flatMap(Int.init) {
                return .respond(.message(HTTPResponseStatus(statusCode: status), "answered by the gateway"))
            }
            return .proceed
        }
    }

    /// Stamps `X-Stamped` on every response head; with `X-Rewrite: LIMIT` (and `X-Overflow: reject`),
    /// holds the body up to LIMIT bytes and replaces it with `rewritten`.
    struct RewritePlugin: ConfigurablePlugin {
        static let name = "rewrite"
        static let priority = 400

        init(configuration: ValueConfig, context: PluginBuildContext) {}

        func responseBodyBuffering(_ context: RequestContext, head: HTTPResponseHead) -> ResponseBodyBuffering? {
            guard let limit = context.requestHeaders.first(name: "x-rewrite").flatMap(Int.init) else { return nil }
            let reject = context.requestHeaders.first(name: "x-overflow") == "reject"
            return ResponseBodyBuffering(maxBytes: limit, overflow: reject ? .reject : .stream)
        }

        func response(_ context: RequestContext, head: inout HTTPResponseHead) {
            head.headers.replaceOrAdd(name: "x-stamped", value: "1")
        }

        func responseBody(_ context: RequestContext, head: inout HTTPResponseHead, body: inout ByteBuffer) {
            body = ByteBuffer(string: "rewritten")
        }
    }

    static let registry = PluginRegistry([.of(ObservePlugin.self), .of(RewritePlugin.self)])
    static let config = """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
        services:
          - url: http://{{UPSTREAM}}
            routes:
              - paths: [/]
                strip_path: false
        plugins:
          - name: observe
          - name: rewrite
        """

    static func pattern(_ size: Int) -> ByteBuffer {
        var whole = ByteBuffer()
        var offset = 0
        while offset < size {
            var part = TestPattern.chunk(offset: offset, size: min(65_536, size - offset))
            whole.writeBuffer(&part)
            offset += 65_536
        }
        return whole
    }

    @Test func observersSeeStreamedResponsesWithoutHoldingThemBack() async throws {
        try await withGateway(Self.config, registry: Self.registry) { gateway, _ in
            let streamed = try await gateway.request(.GET, "/bytes/70000", headers: [("X-Observe", "1")])
            #expect(streamed.body == Self.pattern(70_000))
            let seen = try #require(try Self.observation(of: streamed))
            #expect(seen.status == 200 && seen.ended && !seen.headWasStamped)
            #expect(seen.body == streamed.body)
            #expect(streamed.headers.first(name: "x-stamped") == "1")

            // A chunked response stays chunked: observing does not hold it to give it a length.
            let chunked = try await gateway.request(.GET, "/json-chunked/5000", headers: [("X-Observe", "1")])
            #expect(chunked.headers.first(name: "transfer-encoding") == "chunked")
            #expect(chunked.headers.first(name: "content-length") == nil)
            #expect(try Self.observation(of: chunked)?.body == chunked.body)

            let unobserved = try await gateway.request(.GET, "/bytes/10")
            #expect(try Self.observation(of: unobserved) == nil)
        }
    }

    @Test func observersSeeLocalAndBodylessResponses() async throws {
        try await withGateway(Self.config, registry: Self.registry) { gateway, _ in
            let local = try await gateway.request(.POST, "/echo", headers: [("X-Observe", "1"), ("X-Answer", "418")])
            #expect(local.status == 418)
            let seenLocal = try #require(try Self.observation(of: local))
            #expect(seenLocal.status == 418 && seenLocal.ended && !seenLocal.headWasStamped)
            #expect(seenLocal.body == local.body)

            let empty = try await gateway.request(.GET, "/status/204", headers: [("X-Observe", "1")])
            #expect(empty.status == 204)
            let seenEmpty = try #require(try Self.observation(of: empty))
            #expect(seenEmpty.status == 204 && seenEmpty.ended && seenEmpty.body.readableBytes == 0)
        }
    }

    @Test func observersSeeHeldResponsesAsProducedBeforeTheRewrite() async throws {
        try await withGateway(Self.config, registry: Self.registry) { gateway, _ in
            let rewritten = try await gateway.request(
                .GET,
                "/bytes/900",
                headers: [("X-Observe", "1"), ("X-Rewrite", "1000")]
            )
            #expect(String(buffer: rewritten.body) == "rewritten")
            #expect(rewritten.headers.first(name: "content-length") == "9")
            let seen = try #require(try Self.observation(of: rewritten))
            #expect(seen.status == 200 && seen.ended && !seen.headWasStamped)
            #expect(seen.body == Self.pattern(900))

            let local = try await gateway.request(
                .POST,
                "/echo",
                headers: [("X-Observe", "1"), ("X-Rewrite", "1000"), ("X-Answer", "409")]
            )
            #expect(String(buffer: local.body) == "rewritten")
            let seenLocal = try #require(try Self.observation(of: local))
            #expect(seenLocal.status == 409 && String(buffer: seenLocal.body).contains("answered by the gateway"))

            // Over the limit with `.stream`: sent unchanged, and the observer sees all of it.
            let overflow = try await gateway.request(
                .GET,
                "/bytes/300000",
                headers: [("X-Observe", "1"), ("X-Rewrite", "1000")]
            )
            #expect(overflow.body == Self.pattern(300_000))
            #expect(try Self.observation(of: overflow)?.body == overflow.body)

            // Over the limit with `.reject`: the observer sees the 502 the client gets.
            let rejected = try await gateway.request(
                .GET,
                "/bytes/300000",
                headers: [("X-Observe", "1"), ("X-Rewrite", "1000"), ("X-Overflow", "reject")]
            )
            #expect(rejected.status == 502)
            let seenRejected = try #require(try Self.observation(of: rejected))
            #expect(seenRejected.status == 502 && seenRejected.ended)
        }
    }
}
