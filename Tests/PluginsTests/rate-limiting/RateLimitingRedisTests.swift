import Foundation
import Gateway
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Plugins

/// `rate-limiting` with `policy: redis` against a real redis-server started for each test.
@Suite(.enabled(if: TestRedis.isAvailable, "redis-server is not installed"))
struct RateLimitingRedisTests {
    static func gateway(_ plugin: String) -> String {
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
        plugins:
          - name: rate-limiting
            config: \(plugin)
        """
    }

    @Test func countsInRedisUnderKongsKeys() async throws {
        try await withRedis { redis in
            let config = "{hour: 2, year: 100, limit_by: ip, policy: redis, redis: {host: 127.0.0.1, port: \(redis.port)}}"
            try await withGateway(Self.gateway(config), registry: testRegistry) {
                (gateway: GatewayHarness, _: TestUpstream) async throws in
                let first = try await gateway.request(.GET, "/echo")
                #expect(first.status == 200)
                #expect(first.headers.first(name: "X-RateLimit-Remaining-Hour") == "1")
                #expect(first.headers.first(name: "X-RateLimit-Remaining-Year") == "99")
                #expect(try await gateway.request(.GET, "/echo").status == 200)
                let refused = try await gateway.request(.GET, "/echo")
                #expect(refused.status == 429)
                #expect(try refused.json()["message"] as? String == "API rate limit exceeded")
                #expect(refused.headers.first(name: "Retry-After") != nil)

                let now = RateLimitingPlugin.nowMillis()
                let hour = RateWindow.hour.period(containing: now).start
                let zero = RateLimitingPlugin.emptyUUID
                let key = "ratelimit:\(zero):\(zero):127.0.0.1:\(hour):hour"
                #expect(try await redis.command("GET", key) == "$1\r\n2\r\n")
                let ttl = try #require(try await redis.integer("PTTL", key))
                #expect(ttl > 0 && ttl <= 3_601_000)
            }
        }
    }

    @Test func legacyFlatFieldsAndDatabase() async throws {
        try await withRedis { redis in
            let config =
                "{hour: 1, limit_by: ip, policy: redis, redis_host: 127.0.0.1, redis_port: \(redis.port), redis_database: 4}"
            try await withGateway(Self.gateway(config), registry: testRegistry) {
                (gateway: GatewayHarness, _: TestUpstream) async throws in
                #expect(try await gateway.request(.GET, "/echo").status == 200)
                #expect(try await gateway.request(.GET, "/echo").status == 429)
                #expect(try await redis.integer("DBSIZE") == 0)
                let inDatabase4 = try await redis.command("EVAL", "redis.call('SELECT', 4) return redis.call('DBSIZE')", "0")
                #expect(inDatabase4 == ":1\r\n")
            }
        }
    }

    @Test func exactUnderConcurrencyAndSharedBetweenGateways() async throws {
        try await withRedis { redis in
            let config = "{year: 50, limit_by: ip, policy: redis, redis: {host: 127.0.0.1, port: \(redis.port)}}"
            try await withGateway(Self.gateway(config), registry: testRegistry) {
                (first: GatewayHarness, upstream: TestUpstream) async throws in
                let second = try await GatewayHarness.start(Self.gateway(config), upstream: upstream, registry: testRegistry)
                do {
                    let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                        for index in 0..<200 {
                            let gateway = index % 2 == 0 ? first : second
                            group.addTask { try await gateway.request(.GET, "/echo").status }
                        }
                        var statuses: [Int] = []
                        for try await status in group { statuses.append(status) }
                        return statuses
                    }
                    #expect(statuses.filter { $0 == 200 }.count == 50)
                    #expect(statuses.filter { $0 == 429 }.count == 150)
                    await second.stop()
                } catch {
                    await second.stop()
                    throw error
                }
            }
        }
    }

    @Test func faultTolerantLetsRequestsThroughWhileRedisIsDownThenCountsAgain() async throws {
        try await withRedis { redis in
            let config = "{hour: 3, limit_by: ip, policy: redis, redis: {host: 127.0.0.1, port: \(redis.port), timeout: 500}}"
            let yaml = Self.gateway(config).replacingOccurrences(of: "admin_listen: \"off\"", with: "admin_listen: 127.0.0.1:0")
            try await withGateway(yaml, registry: testRegistry) {
                (gateway: GatewayHarness, _: TestUpstream) async throws in
                #expect(try await gateway.request(.GET, "/echo").status == 200)
                await redis.stopProcess()
                for _ in 0..<5 {
                    let response = try await gateway.request(.GET, "/echo")
                    #expect(response.status == 200)
                    #expect(response.headers.first(name: "X-RateLimit-Remaining-Hour") == nil)
                }
                // The admin API's metrics say what the log says.
                let metrics = try await gateway.admin(.GET, "/metrics")
                #expect(metrics.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
                #expect(PrometheusText.value(metrics.text, #"pasarela_fail_open_total{plugin="rate-limiting"}"#) == 5)
                let errors = PrometheusText.value(metrics.text, #"pasarela_redis_errors_total{redis="127.0.0.1:\#(redis.port)/0"}"#)
                #expect((errors ?? 0) >= 5)
                try await redis.restart()  // empty: counting starts again
                let counting = try await eventually {
                    try await gateway.request(.GET, "/echo").headers.first(name: "X-RateLimit-Remaining-Hour") == "2"
                }
                #expect(counting)
            }
        }
    }

    @Test func notFaultTolerantAnswers500WhileRedisIsDown() async throws {
        let port = try await unusedPort()
        let config = "{hour: 3, limit_by: ip, policy: redis, fault_tolerant: false, redis: {host: 127.0.0.1, port: \(port)}}"
        try await withGateway(Self.gateway(config), registry: testRegistry) {
            (gateway: GatewayHarness, upstream: TestUpstream) async throws in
            let response = try await gateway.request(.GET, "/echo")
            #expect(response.status == 500)
            #expect(try response.json()["message"] as? String == "An unexpected error occurred")
            #expect(upstream.accepts == 0)
        }
    }

    @Test func faultTolerantByDefaultWithNoRedisAtAll() async throws {
        let port = try await unusedPort()
        let config = "{hour: 1, limit_by: ip, policy: redis, redis: {host: 127.0.0.1, port: \(port)}}"
        try await withGateway(Self.gateway(config), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            for _ in 0..<3 { #expect(try await gateway.request(.GET, "/echo").status == 200) }
        }
    }

    @Test func authenticatesWithUsernameAndPassword() async throws {
        try await withRedis(arguments: ["--requirepass", "pw"]) { redis in
            let config =
                "{hour: 1, limit_by: ip, policy: redis, fault_tolerant: false, redis: {host: 127.0.0.1, port: \(redis.port), username: default, password: pw}}"
            try await withGateway(Self.gateway(config), registry: testRegistry) {
                (gateway: GatewayHarness, _: TestUpstream) async throws in
                #expect(try await gateway.request(.GET, "/echo").status == 200)
                #expect(try await gateway.request(.GET, "/echo").status == 429)
            }
        }
    }
}
