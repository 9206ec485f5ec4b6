import AMQP
import Foundation
import GatewayTestSupport
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import Gateway

/// Routes to `amqp` services against a real RabbitMQ (DESIGN §7): 202 only after the broker's
/// confirm, the envelope and properties as specified, 503 when the job cannot be queued, rpc replies
/// and timeouts. Needs `PASARELA_TEST_AMQP_URL` (`make test` starts a private broker).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["PASARELA_TEST_AMQP_URL"] != nil))
struct AMQPRouteTests {
    static let brokerURL = ProcessInfo.processInfo.environment["PASARELA_TEST_AMQP_URL"] ?? "amqp://127.0.0.1:1/"

    static func config(exchange: String, key: String, url: String = brokerURL, extra: String = "") -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
        services:
          - name: jobs
            url: \(url)
            amqp:
              exchange: \(exchange)
              routing_key: \(key)
              mode: async
              confirm_timeout: 3000
              declare: true
            routes:
              - paths: ["~/users/(?<user_id>\\\\d+)/pay$"]
                methods: [POST]
          - name: rpc
            url: \(url)
            amqp:
              exchange: \(exchange)
              routing_key: \(key).rpc
              mode: rpc
              reply_timeout: 700
              declare: true
            routes:
              - paths: [/rpc]
          - name: nowhere
            url: \(url)
            amqp: {exchange: \(exchange), routing_key: unbound.key}
            routes:
              - paths: [/nowhere]
        \(extra)
        """
    }

    static func consumerConnection() async throws -> AMQPConnection {
        let connection = AMQPConnection(
            configuration: AMQPConfiguration(url: try AMQPURL(brokerURL), connectionName: "test-consumer")
        )
        #expect(await connection.waitUntilConnected(timeout: .seconds(20)))
        return connection
    }

    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    @Test func acceptsOnlyAfterConfirmAndPublishesTheEnvelope() async throws {
        let exchange = Self.unique("pagos")
        let key = Self.unique("payment.requested")
        try await withGateway(Self.config(exchange: exchange, key: key)) { gateway, _ in
            let response = try await gateway.request(
                .POST,
                "/users/7/pay?source=app",
                headers: [("Content-Type", "application/json"), ("Authorization", "Bearer t"), ("X-Request-Id", "req-42")],
                body: ByteBuffer(string: #"{"amount": 1250, "to_user_id": 2}"#)
            )
            #expect(response.status == 202)
            let json = try response.json()
            let jobID = try #require(json["job_id"] as? String)
            #expect(json["status"] as? String == "queued")

            let consumer = try await Self.consumerConnection()
            let deliveries = try await consumer.consume(queue: key, prefetch: 10)
            var iterator = deliveries.makeAsyncIterator()
            let delivery = try #require(try await iterator.next())
            try await delivery.ack()
            let properties = delivery.properties
            #expect(properties.messageID == jobID)
            #expect(properties.correlationID == "req-42")
            #expect(properties.deliveryMode == .persistent)
            #expect(properties.contentType == "application/json")
            #expect(properties.appID == "pasarela")
            #expect(properties.type == "http-request")
            #expect(properties.headers["x-request-id"]?.stringValue == "req-42")
            #expect(properties.timestamp != nil)
            let envelope = try #require(try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any])
            #expect(envelope["id"] as? String == jobID)
            #expect(envelope["method"] as? String == "POST")
            #expect(envelope["path"] as? String == "/users/7/pay")
            #expect((envelope["query"] as? [String: String]) == ["source": "app"])
            #expect((envelope["params"] as? [String: String]) == ["user_id": "7"])
            #expect((envelope["body"] as? [String: Int]) == ["amount": 1250, "to_user_id": 2])
            let headers = try #require(envelope["headers"] as? [String: String])
            #expect(headers["authorization"] == nil)
            #expect(headers["content-type"] == "application/json")
            #expect(envelope["received_at"] as? String != nil)
            await deliveries.cancel()
            await consumer.close()
        }
    }

    @Test func refusesWhatCannotBeQueued() async throws {
        let exchange = Self.unique("pagos")
        let key = Self.unique("payment.requested")
        try await withGateway(Self.config(exchange: exchange, key: key)) { gateway, _ in
            // Declare the exchange (through a route with declare: true), then publish where no queue is bound.
            #expect(
                try await gateway.request(
                    .POST,
                    "/users/1/pay",
                    headers: [("Content-Type", "application/json")],
                    body: ByteBuffer(string: "{}")
                ).status == 202
            )
            let unroutable = try await gateway.request(.POST, "/nowhere", body: ByteBuffer(string: "x"))
            #expect(unroutable.status == 503)
            #expect(unroutable.headers.first(name: "retry-after") == "5")
            let invalid = try await gateway.request(
                .POST,
                "/users/1/pay",
                headers: [("Content-Type", "application/json")],
                body: ByteBuffer(string: "{nope")
            )
            #expect(invalid.status == 400)
        }
    }

    @Test func brokerUnreachableIs503NotAFalse202() async throws {
        let port = try await unusedPort()
        try await withGateway(Self.config(exchange: "x", key: "k", url: "amqp://guest:guest@127.0.0.1:\(port)/")) { gateway, _ in
            let clock = ContinuousClock()
            let started = clock.now
            let response = try await gateway.request(
                .POST,
                "/users/1/pay",
                headers: [("Content-Type", "application/json")],
                body: ByteBuffer(string: "{}")
            )
            #expect(response.status == 503)
            #expect(response.headers.first(name: "retry-after") != nil)
            #expect(try response.json()["message"] as? String == "The message broker is unavailable")
            #expect(clock.now - started < .seconds(2))
        }
    }

    @Test func rpcRoundTripAndTimeout() async throws {
        let exchange = Self.unique("pagos")
        let key = Self.unique("payment.requested")
        try await withGateway(Self.config(exchange: exchange, key: key)) { gateway, _ in
            // No worker yet: the queue exists once declared, nobody answers -> 504 after reply_timeout.
            let timedOut = try await gateway.request(
                .POST,
                "/rpc/x",
                headers: [("Content-Type", "application/json")],
                body: ByteBuffer(string: "{}")
            )
            #expect(timedOut.status == 504)

            let worker = try await Self.consumerConnection()
            let deliveries = try await worker.consume(queue: key + ".rpc", prefetch: 10)
            // Drop the request that timed out, then answer the next one.
            let answering = Task {
                for try await delivery in deliveries {
                    try await delivery.ack()
                    let envelope = try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any]
                    guard envelope?["path"] as? String == "/rpc/x/answer" else { continue }
                    let reply = #"{"status": 201, "headers": {"X-Worker": "yes"}, "body": {"ok": true}}"#
                    _ = try await worker.reply(to: delivery.message, body: Array(reply.utf8))
                    return
                }
            }
            let answered = try await gateway.request(
                .POST,
                "/rpc/x/answer",
                headers: [("Content-Type", "application/json")],
                body: ByteBuffer(string: "{}")
            )
            #expect(answered.status == 201)
            #expect(answered.headers.first(name: "x-worker") == "yes")
            #expect(try answered.json()["ok"] as? Bool == true)
            _ = await answering.result
            await deliveries.cancel()
            await worker.close()
        }
    }
}
