import GatewayTestSupport
import MetricsTestKit
import NIOCore
import NIOPosix
import Testing

@testable import Plugins

/// Redis failures are counted for the metrics, by server.
struct RedisMetricsTests {
    @Test func failedCommandsAreCountedPerServer() async throws {
        let metrics = TestMetrics()
        var config = RedisConfig()
        config.host = "127.0.0.1"
        config.port = try await unusedPort()  // nothing listens
        let client = try RedisClient(configuration: config, metrics: metrics)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        for _ in 0..<3 {
            await #expect(throws: RedisError.self) { _ = try await client.send(RedisCommand("PING"), on: loop).get() }
        }
        let counter = try metrics.expectCounter(
            "pasarela_redis_errors_total",
            [("redis", "127.0.0.1:\(config.port)/0")]
        )
        #expect(counter.totalValue == 3)
        #expect(client.failures == 3)
        await client.shutdown()
    }
}
