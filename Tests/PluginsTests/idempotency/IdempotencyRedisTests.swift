import AMQP
import AMQPTestSupport
import Foundation
import Gateway
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Plugins

/// `idempotency` with `policy: redis`: one key space for several gateways, and Redis failures.
@Suite(.enabled(if: TestRedis.isAvailable, "redis-server is not installed"))
struct IdempotencyRedisTests {
    static func gateway(redisPort: Int, extra: String = "") -> String {
        IdempotencyAccessTests.gateway("{policy: redis, redis: {host: 127.0.0.1, port: \(redisPort), timeout: 500}\(extra)}")
    }

    @Test func gatewaysShareKeysThroughRedis() async throws {
        try await withRedis { redis in
            try await withGateway(Self.gateway(redisPort: redis.port), registry: testRegistry) {
                (first: GatewayHarness, upstream: TestUpstream) async throws in
                let second = try await GatewayHarness.start(
                    Self.gateway(redisPort: redis.port),
                    upstream: upstream,
                    registry: testRegistry
                )
                do {
                    let original = try await IdempotencyAccessTests.post(first, key: "shared")
                    #expect(original.status == 200)
                    let replay = try await IdempotencyAccessTests.post(second, key: "shared")
                    #expect(replay.headers.first(name: "Idempotent-Replayed") == "true")
                    #expect(replay.body == original.body)
                    #expect(try await IdempotencyAccessTests.post(second, key: "shared", body: "{}").status == 422)

                    async let slow = IdempotencyAccessTests.post(first, "/slow/1500", key: "slow")
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(try await IdempotencyAccessTests.post(second, "/slow/1500", key: "slow").status == 409)
                    #expect(try await slow.status == 200)

                    // 5xx answers release the key in Redis too.
                    #expect(try await IdempotencyAccessTests.post(first, "/status/500", key: "err").status == 500)
                    #expect(
                        try await IdempotencyAccessTests.post(second, "/status/500", key: "err").headers.first(
                            name: "Idempotent-Replayed"
                        ) == nil
                    )
                    #expect(try await redis.integer("DBSIZE") == 2)  // "shared" and "slow"
                    await second.stop()
                } catch {
                    await second.stop()
                    throw error
                }
            }
        }
    }

    @Test func storedWithTheTTL() async throws {
        try await withRedis { redis in
            try await withGateway(Self.gateway(redisPort: redis.port, extra: ", ttl: 60"), registry: testRegistry) {
                (gateway: GatewayHarness, _: TestUpstream) async throws in
                #expect(try await IdempotencyAccessTests.post(gateway, key: "ttl").status == 200)
                let key = "idempotency:\(RateLimitingPlugin.emptyUUID):\(RateLimitingPlugin.emptyUUID):ip:127.0.0.1:ttl"
                let stored = await eventually { ((try? await redis.integer("PTTL", key)) ?? -2) > 0 }
                #expect(stored)
                let ttl = try #require(try await redis.integer("PTTL", key))
                #expect(ttl > 50_000 && ttl <= 60_000)
            }
        }
    }

    @Test func redisDownAnswers500UnlessFaultTolerant() async throws {
        let port = try await unusedPort()
        try await withGateway(Self.gateway(redisPort: port), registry: testRegistry) {
            (gateway: GatewayHarness, upstream: TestUpstream) async throws in
            let refused = try await IdempotencyAccessTests.post(gateway, key: "k")
            #expect(refused.status == 500)
            #expect(try refused.json()["message"] as? String == "An unexpected error occurred")
            #expect(upstream.accepts == 0)
        }
        try await withGateway(Self.gateway(redisPort: port, extra: ", fault_tolerant: true"), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await IdempotencyAccessTests.post(gateway, key: "k").status == 200)
            #expect(try await IdempotencyAccessTests.post(gateway, key: "k").headers.first(name: "Idempotent-Replayed") == nil)
        }
    }
}

/// In front of an `amqp` service: the bridge's `202 {"job_id"}` is replayed and the job is published
/// once. Needs the test broker (`make test` starts a private one).
@Suite(.enabled(if: TestBroker.isAvailable))
struct IdempotencyAMQPTests {
    @Test func theJobIsQueuedOnceAndItsIDReplayed() async throws {
        let url = try #require(TestBroker.url)
        let exchange = TestBroker.uniqueName("pagos")
        let key = TestBroker.uniqueName("payment.requested")
        let yaml = """
            _format_version: "3.0"
            pasarela:
              proxy_listen: 127.0.0.1:0
              admin_listen: "off"
            services:
              - name: jobs
                url: \(url)
                amqp: {exchange: \(exchange), routing_key: \(key), mode: async, declare: true}
                routes:
                  - paths: ["~/users/(?<user_id>\\\\d+)/pay$"]
                    methods: [POST]
            plugins:
              - name: idempotency
            """
        try await withGateway(yaml, registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            func pay(_ idempotencyKey: String) async throws -> TestResponse {
                try await gateway.request(
                    .POST,
                    "/users/1/pay",
                    headers: [("Content-Type", "application/json"), ("Idempotency-Key", idempotencyKey)],
                    body: ByteBuffer(string: #"{"amount": 500}"#)
                )
            }
            let first = try await pay("payment-1")
            #expect(first.status == 202)
            let jobID = try #require(try first.json()["job_id"] as? String)
            let repeated = try await pay("payment-1")
            #expect(repeated.status == 202)
            #expect(repeated.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(try repeated.json()["job_id"] as? String == jobID)
            let other = try await pay("payment-2")
            let otherID = try #require(try other.json()["job_id"] as? String)
            #expect(otherID != jobID)

            // The queue holds the first job, then the other one: the repeat published nothing.
            let connection = try await TestBroker.connect("idempotency")
            let deliveries = try await connection.consume(queue: key, prefetch: 10)
            var iterator = deliveries.makeAsyncIterator()
            let firstDelivery = try #require(try await iterator.next())
            try await firstDelivery.ack()
            let secondDelivery = try #require(try await iterator.next())
            try await secondDelivery.ack()
            #expect(firstDelivery.properties.messageID == jobID)
            #expect(secondDelivery.properties.messageID == otherID)
            await deliveries.cancel()
            await connection.close()
        }
    }
}
