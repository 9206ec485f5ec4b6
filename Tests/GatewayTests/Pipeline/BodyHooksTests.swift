import Foundation
import Gateway
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// The opt-in hooks for plugins that need bodies: `AccessStep.bufferBody(limit:)` (the whole request
/// body before the plugin runs again) and `RequestContext.observeResponse` (the response as written).
@Suite struct BodyHooksTests {
    /// What observers saw, by request id.
    static let observed = Mutex<[String: String]>([:])

    struct ProbeConfig: PluginConfiguration {
        var limit = 1000
        enum CodingKeys: String, CodingKey { case limit }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            limit = try container.decodeIfPresent(Int.self, forKey: .limit) ?? limit
        }
    }

    /// `X-Probe-Body`: asks for the body and reports what it got upstream (`X-Body`); `X-Probe-Twice`:
    /// asks twice; `X-Observe`: records the response it sees.
    struct BodyProbePlugin: ConfigurablePlugin {
        static let name = "body-probe"
        static let priority = 500
        let limit: Int

        init(configuration: ProbeConfig, context: PluginBuildContext) { limit = configuration.limit }

        func access(_ context: RequestContext) -> AccessStep {
            if context.requestHeaders.contains(name: "x-observe") { context.observeResponse(Recorder()) }
            if context.requestHeaders.contains(name: "x-probe-twice") { return .bufferBody(limit: limit) }
            guard context.requestHeaders.contains(name: "x-probe-body") else { return .proceed }
            switch context.bufferedBody {
            case .notRequested: return .bufferBody(limit: limit)
            case .complete(let body): context.requestHeaders.replaceOrAdd(name: "x-body", value: "complete \(body.readableBytes)")
            case .exceeded(let limit): context.requestHeaders.replaceOrAdd(name: "x-body", value: "exceeded \(limit)")
            }
            return .proceed
        }
    }

    final class Recorder: ResponseObserver {
        var status = 0
        var bytes = 0
        func responseHead(_ head: HTTPResponseHead, context: RequestContext) {
            status = Int(head.status.code)
        }
        func responseBody(_ chunk: ByteBuffer, context: RequestContext) { bytes += chunk.readableBytes }
        func responseEnd(context: RequestContext) {
            let summary = "\(status) \(bytes)"
            BodyHooksTests.observed.withLock { $0[context.requestID] = summary }
        }
    }

    static let registry = PluginRegistry([.of(BodyProbePlugin.self)])
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
          - name: body-probe
            config: {limit: 1000}
        """

    static func upstreamHeader(_ response: TestResponse, _ name: String) throws -> String? {
        try (response.json()["headers"] as? [String: Any])?[name] as? String
    }

    @Test func aBodyWithinTheLimitIsReadWholeAndStillProxied() async throws {
        try await withGateway(Self.config, registry: Self.registry) { gateway, _ in
            let response = try await gateway.request(
                .POST,
                "/echo",
                headers: [("X-Probe-Body", "1")],
                body: ByteBuffer(string: "hello")
            )
            #expect(try Self.upstreamHeader(response, "x-body") == "complete 5")
            #expect(try response.json()["body_bytes"] as? Int == 5)
            let empty = try await gateway.request(.POST, "/echo", headers: [("X-Probe-Body", "1")])
            #expect(try Self.upstreamHeader(empty, "x-body") == "complete 0")
        }
    }

    @Test func aLargerBodyIsReportedAndStreamsOnWhole() async throws {
        try await withGateway(Self.config, registry: Self.registry) { gateway, _ in
            let connection = try await gateway.connect()
            let response = try await connection.upload(
                "/checksum",
                total: 300_000,
                chunk: 16 * 1024,
                headers: [("X-Probe-Body", "1")]
            )
            await connection.close()
            #expect(try response.json()["bytes"] as? Int == 300_000)
            var crc = CRC32()
            var offset = 0
            while offset < 300_000 {
                let size = min(16 * 1024, 300_000 - offset)
                TestPattern.chunk(offset: offset, size: size).withUnsafeReadableBytes { crc.update($0) }
                offset += size
            }
            #expect(try response.json()["crc32"] as? Int == Int(crc.value))
            let echoed = try await gateway.request(
                .POST,
                "/echo",
                headers: [("X-Probe-Body", "1")],
                body: ByteBuffer(repeating: 7, count: 5000)
            )
            #expect(try Self.upstreamHeader(echoed, "x-body") == "exceeded 1000")
            #expect(try echoed.json()["body_bytes"] as? Int == 5000)
        }
    }

    @Test func askingTwiceIsAnError() async throws {
        try await withGateway(Self.config, registry: Self.registry) { gateway, _ in
            let response = try await gateway.request(
                .POST,
                "/echo",
                headers: [("X-Probe-Twice", "1")],
                body: ByteBuffer(string: "x")
            )
            #expect(response.status == 500)
        }
    }

    @Test func observersSeeUpstreamAndLocalResponses() async throws {
        try await withGateway(Self.config, registry: Self.registry) { gateway, _ in
            let upstream = try await gateway.request(.GET, "/bytes/70000", headers: [("X-Observe", "1")])
            let id = try #require(upstream.headers.first(name: "X-Request-Id"))
            #expect(Self.observed.withLock { $0[id] } == "200 70000")
            let missing = try await gateway.request(.GET, "/status/404", headers: [("X-Observe", "1")])
            let missingID = try #require(missing.headers.first(name: "X-Request-Id"))
            #expect(Self.observed.withLock { $0[missingID] } == "404 \(missing.body.readableBytes)")
            let twice = try await gateway.request(
                .POST,
                "/echo",
                headers: [("X-Observe", "1"), ("X-Probe-Twice", "1")],
                body: ByteBuffer(string: "x")
            )
            let twiceID = try #require(twice.headers.first(name: "X-Request-Id"))
            #expect(Self.observed.withLock { $0[twiceID] } == "500 \(twice.body.readableBytes)")
        }
    }
}
