import Foundation
import Gateway
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Plugins

/// `rate-limiting` with the local policy through a real gateway (Kong's 04-access_spec). Limits use
/// hour/day/year windows where a test counts, so that a window boundary cannot fall inside it.
@Suite struct RateLimitingAccessTests {
    static func gateway(_ plugin: String, extraRoutes: String = "", consumers: String = "") -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
        services:
          - name: api
            url: http://{{UPSTREAM}}
            routes:
              - name: limited
                paths: [/]
                strip_path: false
        \(extraRoutes)
        \(consumers)
        plugins:
          - name: test-auth
          - name: rate-limiting
            config: \(plugin)
        """
    }

    @Test func headersCountDownThenKongs429() async throws {
        try await withGateway(Self.gateway("{hour: 3, day: 10, limit_by: ip}"), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            for expected in [2, 1, 0] {
                let response = try await gateway.request(.GET, "/echo")
                #expect(response.status == 200)
                #expect(response.headers.first(name: "X-RateLimit-Limit-Hour") == "3")
                #expect(response.headers.first(name: "X-RateLimit-Remaining-Hour") == String(expected))
                #expect(response.headers.first(name: "X-RateLimit-Limit-Day") == "10")
                #expect(response.headers.first(name: "X-RateLimit-Remaining-Day") == String(expected + 7))
                #expect(response.headers.first(name: "RateLimit-Limit") == "3")
                #expect(response.headers.first(name: "RateLimit-Remaining") == String(expected))
                let reset = try #require(response.headers.first(name: "RateLimit-Reset").flatMap(Int.init))
                #expect((1...3600).contains(reset))
                #expect(response.headers.first(name: "Retry-After") == nil)
            }
            let refused = try await gateway.request(.GET, "/echo")
            #expect(refused.status == 429)
            #expect(try refused.json()["message"] as? String == "API rate limit exceeded")
            #expect(try refused.json()["request_id"] as? String == refused.headers.first(name: "X-Request-Id"))
            #expect(refused.headers.first(name: "Content-Type") == "application/json; charset=utf-8")
            #expect(refused.headers.first(name: "X-RateLimit-Remaining-Hour") == "0")
            #expect(refused.headers.first(name: "X-RateLimit-Remaining-Day") == "7")
            #expect(refused.headers.first(name: "RateLimit-Remaining") == "0")
            let retry = try #require(refused.headers.first(name: "Retry-After").flatMap(Int.init))
            #expect((1...3600).contains(retry))
            #expect(refused.headers.first(name: "RateLimit-Reset") == String(retry))
        }
    }

    @Test func everyWindowHasItsHeaders() async throws {
        let config = "{second: 10, minute: 20, hour: 30, day: 40, month: 50, year: 60, limit_by: ip}"
        try await withGateway(Self.gateway(config), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            let response = try await gateway.request(.GET, "/echo")
            for (window, limit) in [("Second", 10), ("Minute", 20), ("Hour", 30), ("Day", 40), ("Month", 50), ("Year", 60)] {
                #expect(response.headers.first(name: "X-RateLimit-Limit-\(window)") == String(limit))
                #expect(response.headers.first(name: "X-RateLimit-Remaining-\(window)") == String(limit - 1))
            }
            #expect(response.headers.first(name: "RateLimit-Limit") == "10")
            #expect(response.headers.first(name: "RateLimit-Remaining") == "9")
            #expect(response.headers.first(name: "RateLimit-Reset") == "1")
        }
    }

    @Test func customErrorCodeAndMessage() async throws {
        let config = "{hour: 1, limit_by: ip, error_code: 404, error_message: Fake Not Found}"
        try await withGateway(Self.gateway(config), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/echo").status == 200)
            let refused = try await gateway.request(.GET, "/echo")
            #expect(refused.status == 404)
            #expect(try refused.json()["message"] as? String == "Fake Not Found")
        }
    }

    @Test func hideClientHeaders() async throws {
        try await withGateway(Self.gateway("{hour: 1, limit_by: ip, hide_client_headers: true}"), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            let names = [
                "X-RateLimit-Limit-Hour", "X-RateLimit-Remaining-Hour", "RateLimit-Limit", "RateLimit-Remaining",
                "RateLimit-Reset", "Retry-After",
            ]
            let first = try await gateway.request(.GET, "/echo")
            #expect(first.status == 200)
            let refused = try await gateway.request(.GET, "/echo")
            #expect(refused.status == 429)
            for name in names {
                #expect(first.headers.first(name: name) == nil)
                #expect(refused.headers.first(name: name) == nil)
            }
        }
    }

    @Test func theSecondWindowRollsOver() async throws {
        try await withGateway(Self.gateway("{second: 1, limit_by: ip}"), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            // Three at once land in one second however slow the machine: one passes, the others are refused.
            var sawRefusal = false
            for _ in 0..<10 where !sawRefusal {
                async let a = gateway.request(.GET, "/echo")
                async let b = gateway.request(.GET, "/echo")
                async let c = gateway.request(.GET, "/echo")
                let statuses = try await [a.status, b.status, c.status]
                sawRefusal = statuses.contains(429)
            }
            // A later second lets requests through again.
            let reopened = try await eventually(timeout: .seconds(10)) {
                try await gateway.request(.GET, "/echo").status == 200
            }
            #expect(sawRefusal && reopened)
        }
    }

    @Test func exactlyTheLimitPassesUnderConcurrency() async throws {
        try await withGateway(Self.gateway("{year: 50, limit_by: ip}"), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<200 {
                    group.addTask { try await gateway.request(.GET, "/echo").status }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.filter { $0 == 200 }.count == 50)
            #expect(statuses.filter { $0 == 429 }.count == 150)
        }
    }

    @Test func limitByHeaderCountsEachValueAndFallsBackToTheIP() async throws {
        let config = "{hour: 1, limit_by: header, header_name: X-App-Version}"
        try await withGateway(Self.gateway(config), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-App-Version", "1.0")]).status == 200)
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-App-Version", "1.0")]).status == 429)
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-App-Version", "2.0")]).status == 200)
            #expect(try await gateway.request(.GET, "/echo").status == 200)  // the IP's own counter
            #expect(try await gateway.request(.GET, "/echo").status == 429)
        }
    }

    @Test func limitByPathCountsOnlyThatPath() async throws {
        let config = "{hour: 1, limit_by: path, path: /echo/limited}"
        try await withGateway(Self.gateway(config), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/echo/limited").status == 200)
            #expect(try await gateway.request(.GET, "/echo/limited").status == 429)
            // Another path is counted by IP: a fresh counter.
            #expect(try await gateway.request(.GET, "/echo/other").status == 200)
            #expect(try await gateway.request(.GET, "/echo/other").status == 429)
        }
    }

    static let consumers = """
        consumers:
          - username: alice
          - username: bob
          - username: anonymous
        """

    @Test func limitByConsumerCountsEachConsumerAndAnonymousFallsBackToTheIP() async throws {
        try await withGateway(Self.gateway("{hour: 1}", consumers: Self.consumers), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-Test-Consumer", "alice")]).status == 200)
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-Test-Consumer", "alice")]).status == 429)
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-Test-Consumer", "bob")]).status == 200)
            #expect(try await gateway.request(.GET, "/echo").status == 200)
            #expect(try await gateway.request(.GET, "/echo").status == 429)
            // Kong counts the anonymous consumer as one consumer.
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-Test-Anonymous", "anonymous")]).status == 200)
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-Test-Anonymous", "anonymous")]).status == 429)
        }
    }

    @Test func limitByCredential() async throws {
        try await withGateway(Self.gateway("{hour: 1, limit_by: credential}", consumers: Self.consumers), registry: testRegistry)
        { (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-Test-Consumer", "alice")]).status == 200)
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-Test-Consumer", "alice")]).status == 429)
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-Test-Consumer", "bob")]).status == 200)
        }
    }

    @Test func limitByServiceSharesOneCounterAcrossClients() async throws {
        try await withGateway(Self.gateway("{hour: 2, limit_by: service}", consumers: Self.consumers), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-Test-Consumer", "alice")]).status == 200)
            #expect(try await gateway.request(.GET, "/echo", headers: [("X-Test-Consumer", "bob")]).status == 200)
            #expect(try await gateway.request(.GET, "/echo").status == 429)
        }
    }

    @Test func countersAreKeyedByTheRouteAndServiceThePluginIsAttachedTo() async throws {
        let yaml = """
            _format_version: "3.0"
            pasarela:
              proxy_listen: 127.0.0.1:0
              admin_listen: "off"
            services:
              - name: api
                url: http://{{UPSTREAM}}
                routes:
                  - name: a
                    paths: [/a]
                    strip_path: true
                  - name: b
                    paths: [/b]
                    strip_path: true
                    plugins:
                      - name: rate-limiting
                        config: {hour: 1, limit_by: ip}
              - name: other
                url: http://{{UPSTREAM}}
                routes:
                  - name: c
                    paths: [/c]
                    strip_path: true
            plugins:
              - name: rate-limiting
                config: {hour: 2, limit_by: ip}
            """
        try await withGateway(yaml, registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            // The global instance counts /a and /c together (one counter, as Kong's zero-UUID key).
            #expect(try await gateway.request(.GET, "/a/echo").status == 200)
            #expect(try await gateway.request(.GET, "/c/echo").status == 200)
            #expect(try await gateway.request(.GET, "/a/echo").status == 429)
            // The route instance on /b wins there and has its own counter.
            let b = try await gateway.request(.GET, "/b/echo")
            #expect(b.status == 200)
            #expect(b.headers.first(name: "X-RateLimit-Limit-Hour") == "1")
            #expect(try await gateway.request(.GET, "/b/echo").status == 429)
        }
    }

    @Test func aReloadKeepsTheCounters() async throws {
        try await withGateway(Self.gateway("{hour: 2, limit_by: ip}"), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/echo").status == 200)
            #expect(try await gateway.request(.GET, "/echo").status == 200)
            let outcome = gateway.process.reload(reason: "test")
            guard case .reloaded = outcome else {
                Issue.record("reload failed: \(outcome)")
                return
            }
            #expect(try await gateway.request(.GET, "/echo").status == 429)
        }
    }

    @Test func refusedRequestsNeverReachTheUpstream() async throws {
        try await withGateway(Self.gateway("{hour: 1, limit_by: ip}"), registry: testRegistry) {
            (gateway: GatewayHarness, upstream: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/echo").status == 200)
            let before = upstream.accepts
            for _ in 0..<5 { #expect(try await gateway.request(.GET, "/echo").status == 429) }
            #expect(upstream.accepts == before)
        }
    }
}
