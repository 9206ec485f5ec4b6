import AMQP
import AMQPTestSupport
import Testing

extension RabbitMQIntegrationTests {
    @Suite("rpc over direct reply-to")
    struct RPC {
        @Test func roundTrip() async throws {
            let client = try await TestBroker.connect("rpc-client")
            let worker = try await TestBroker.connect("rpc-worker")
            let queue = TestBroker.queue("rpc")
            try await worker.declare(Topology(queues: [queue]))
            let consumer = try await worker.consume(queue: queue.name)
            let serving = Task {
                for try await request in consumer {
                    let reply = [UInt8]("re: ") + request.body
                    _ = try await worker.reply(to: request.message, body: reply, properties: MessageProperties(contentType: "text/plain"))
                    try await request.ack()
                }
            }
            for index in 0..<3 {
                let outcome = try await client.rpc(
                    exchange: "", routingKey: queue.name, body: [UInt8]("ping \(index)"),
                    properties: MessageProperties(correlationID: "call-\(index)"), timeout: .seconds(5))
                guard case .reply(let reply) = outcome else {
                    Issue.record("expected a reply, got \(outcome)")
                    continue
                }
                #expect(reply.body == [UInt8]("re: ping \(index)"))
                #expect(reply.properties.correlationID == "call-\(index)")
                #expect(reply.properties.contentType == "text/plain")
            }
            serving.cancel()
            await worker.close()
            await client.close()
        }

        @Test func noReplyTimesOut() async throws {
            let client = try await TestBroker.connect("rpc-timeout")
            let queue = TestBroker.queue("rpc-silent")
            try await client.declare(Topology(queues: [queue]))
            let start = ContinuousClock.now
            let outcome = try await client.rpc(exchange: "", routingKey: queue.name, body: [], timeout: .milliseconds(300))
            let elapsed = start.duration(to: .now)
            #expect(outcome == .timedOut)
            #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(2))
            await client.close()
        }

        @Test func requestToNoQueueIsNotDelivered() async throws {
            let client = try await TestBroker.connect("rpc-unroutable")
            let outcome = try await client.rpc(exchange: "amq.direct", routingKey: "nobody-home", body: [], timeout: .seconds(5))
            #expect(outcome == .notDelivered(.unroutable(replyCode: 312, replyText: "NO_ROUTE")))
            await client.close()
        }

        @Test func replyingWithoutReplyToThrows() async throws {
            let connection = try await TestBroker.connect("no-reply-to")
            let message = Message(body: [], properties: MessageProperties(), exchange: "", routingKey: "q")
            await #expect(throws: AMQPError.noReplyTo) { _ = try await connection.reply(to: message, body: []) }
            await connection.close()
        }
    }
}
