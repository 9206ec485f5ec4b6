import Foundation
import Gateway
import GatewayTestSupport
import Logging
import NIOHTTP1
import Testing

@testable import Plugins

/// Kong's `http-log`: Kong's serialized entries POSTed to an endpoint, batched and retried.
struct HTTPLogPluginTests {
    static func gateway(endpoint: String, config: String = "") -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
        services:
          - name: echo
            url: http://{{UPSTREAM}}
            routes: [{name: open, paths: [/open]}]
        plugins:
          - name: http-log
            config: {http_endpoint: "\(endpoint)"\(config.isEmpty ? "" : ", " + config)}
        """
    }

    static func received(_ collector: LogCollector, count: Int) async -> [LogCollector.Received] {
        _ = await eventually(timeout: .seconds(20)) { collector.received.count >= count }
        return collector.received
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func oneEntryPerRequestWithHeadersAndCredentials() async throws {
        let collector = try await LogCollector()
        defer { Task { await collector.stop() } }
        let endpoint = "http://logger:s3cret@127.0.0.1:\(collector.port)/logs?src=gw"
        let config = "headers: {X-Source: pasarela}, queue: {max_coalescing_delay: 0.05}"
        try await withGateway(Self.gateway(endpoint: endpoint, config: config), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/open/echo").status == 200)
            #expect(try await gateway.request(.GET, "/open/status/404").status == 404)
            let received = await Self.received(collector, count: 2)
            #expect(received.count == 2)
            for request in received {
                #expect(request.method == .POST)
                #expect(request.uri == "/logs?src=gw")
                #expect(request.headers.first(name: "content-type") == "application/json")
                #expect(request.headers.first(name: "x-source") == "pasarela")
                #expect(request.headers.first(name: "authorization") == "Basic " + Data("logger:s3cret".utf8).base64EncodedString())
            }
            let statuses = try received.map { request -> Int? in
                let entry = try #require(try Self.json(request.body) as? [String: Any])
                return (entry["response"] as? [String: Any])?["status"] as? Int
            }
            #expect(Set(statuses.compactMap { $0 }) == [200, 404])
        }
    }

    @Test func batchesAreJSONArrays() async throws {
        let collector = try await LogCollector()
        defer { Task { await collector.stop() } }
        let endpoint = "http://127.0.0.1:\(collector.port)/batch"
        let config = "method: PUT, content_type: \"application/json; charset=utf-8\", queue: {max_batch_size: 3, max_coalescing_delay: 5}"
        try await withGateway(Self.gateway(endpoint: endpoint, config: config), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            for _ in 0..<3 { #expect(try await gateway.request(.GET, "/open/echo").status == 200) }
            let received = await Self.received(collector, count: 1)
            #expect(received.count == 1)
            #expect(received.first?.method == .PUT)
            #expect(received.first?.headers.first(name: "content-type") == "application/json; charset=utf-8")
            let batch = try #require(try Self.json(received.first?.body ?? "") as? [[String: Any]])
            #expect(batch.count == 3)
            #expect(batch.allSatisfy { ($0["route"] as? [String: Any])?["name"] as? String == "open" })
        }
    }

    @Test func aFailedBatchIsRetried() async throws {
        let collector = try await LogCollector(failures: 2)
        defer { Task { await collector.stop() } }
        let endpoint = "http://127.0.0.1:\(collector.port)/flaky"
        let config = "queue: {max_coalescing_delay: 0, initial_retry_delay: 0.05}"
        try await withGateway(Self.gateway(endpoint: endpoint, config: config), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/open/echo").status == 200)
            let received = await Self.received(collector, count: 3)
            #expect(received.count == 3)
            #expect(Set(received.map(\.body)).count == 1)  // the same entry three times
        }
    }

    @Test func anUnreachableEndpointNeverFailsTheRequest() async throws {
        let config = "timeout: 200, queue: {max_coalescing_delay: 0, max_retry_time: 0.2}"
        try await withGateway(Self.gateway(endpoint: "http://127.0.0.1:1/", config: config), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/open/echo").status == 200)
        }
    }

    /// At shutdown the queue is flushed once; an endpoint that fails then does not hold the stop one
    /// timeout per queued batch.
    @Test func stoppingWithAFailingEndpointDropsWhatIsLeft() async throws {
        let collector = try await LogCollector(silent: true)
        defer { Task { await collector.stop() } }
        let endpoint = "http://127.0.0.1:\(collector.port)/silent"
        let config = "timeout: 300, queue: {max_coalescing_delay: 0, max_retry_time: 60}"
        let clock = ContinuousClock()
        var stopping = clock.now
        try await withGateway(Self.gateway(endpoint: endpoint, config: config), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            for _ in 0..<80 { #expect(try await gateway.request(.GET, "/open/echo").status == 200) }
            stopping = clock.now
        }
        // One batch at a time, 300 ms each: 80 batches would hold the stop for 24 s; a retry delay
        // under way (up to max_retry_delay) is cut short too.
        #expect(clock.now - stopping < .seconds(10))
        #expect(collector.received.count < 80)
    }

    @Test func configErrorsCarryTheirPath() {
        let lines = GatewayLoader.load(
            contents: """
                _format_version: "3.0"
                routes:
                  - {name: a, paths: [/a], plugins: [{name: http-log, config: {method: POST}}]}
                  - {name: b, paths: [/b], plugins: [{name: http-log, config: {http_endpoint: "ftp://x/"}}]}
                  - {name: c, paths: [/c], plugins: [{name: http-log, config: {http_endpoint: "http://x/", method: GET}}]}
                  - name: d
                    paths: [/d]
                    plugins: [{name: http-log, config: {http_endpoint: "http://x/", queue: {concurrency_limit: 2}}}]
                  - name: e
                    paths: [/e]
                    plugins: [{name: http-log, config: {http_endpoint: "http://x/", queue_size: 5, retry_count: 3}}]
                """,
            file: "g.yaml",
            environment: [:],
            registry: BuiltinPlugins.registry,
            logger: Logger(label: "t")
        ).diagnostics.sorted.map(\.description).filter { !$0.contains("warning") }
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.contains { $0.contains("routes[0].plugins[0].config.http_endpoint: required field missing") })
        #expect(lines.contains { $0.contains("routes[1].plugins[0].config.http_endpoint") })
        #expect(lines.contains { $0.contains("routes[2].plugins[0].config.method") })
        #expect(lines.contains { $0.contains("routes[3].plugins[0].config.queue.concurrency_limit") })
        #expect(HTTPLogConfig().queue.maxBatchSize == 1)
    }
}
