import AMQP
import AMQPTestSupport
import Testing

extension RabbitMQIntegrationTests {
    @Suite("consuming")
    struct Consuming {
        @Test func nackRequeuesWithTheRedeliveredFlagAndAckSettles() async throws {
            let publisher = try await TestBroker.connect("requeue-pub")
            let consumerConnection = try await TestBroker.connect("requeue-sub")
            let queue = TestBroker.queue("requeue")
            try await publisher.declare(Topology(queues: [queue]))
            #expect(try await publisher.publish(exchange: "", routingKey: queue.name, body: [UInt8]("job")) == .confirmed)

            let collector = DeliveryCollector(try await consumerConnection.consume(queue: queue.name, prefetch: 1))
            let first = try #require(await collector.wait(for: 1).first)
            #expect(!first.redelivered)
            try await first.nack(requeue: true)
            let second = try #require(await collector.wait(for: 2).last)
            #expect(second.redelivered)
            #expect(second.body == [UInt8]("job"))
            try await second.ack()
            await #expect(throws: AMQPError.staleDelivery) { try await second.ack() }
            try await Task.sleep(for: .milliseconds(200))
            #expect(collector.deliveries.count == 2)
            await consumerConnection.close()
            await publisher.close()
        }

        @Test func prefetchBoundsUnsettledDeliveries() async throws {
            let publisher = try await TestBroker.connect("prefetch-pub")
            let consumerConnection = try await TestBroker.connect("prefetch-sub")
            let queue = TestBroker.queue("prefetch")
            try await publisher.declare(Topology(queues: [queue]))
            for index in 0..<10 {
                _ = try await publisher.publish(exchange: "", routingKey: queue.name, body: [UInt8]("\(index)"))
            }
            let collector = DeliveryCollector(try await consumerConnection.consume(queue: queue.name, prefetch: 3))
            _ = await collector.wait(for: 3)
            try await Task.sleep(for: .milliseconds(200))
            #expect(collector.deliveries.count == 3)
            try await collector.deliveries[0].ack()
            #expect(await collector.wait(for: 4).count == 4)
            await consumerConnection.close()
            await publisher.close()
        }

        @Test func rejectedMessageIsDeadLettered() async throws {
            let connection = try await TestBroker.connect("dlx")
            let dlx = ExchangeDeclaration(
                name: "test.dlx.\(UInt32.random(in: 0...UInt32.max))",
                type: .direct,
                durable: false,
                autoDelete: true
            )
            let dead = TestBroker.queue("work.dead")
            let work = TestBroker.queue(
                "work",
                arguments: ["x-dead-letter-exchange": .string(dlx.name), "x-dead-letter-routing-key": "dead"]
            )
            try await connection.declare(
                Topology(
                    exchanges: [dlx],
                    queues: [dead, work],
                    bindings: [QueueBinding(queue: dead.name, exchange: dlx.name, routingKey: "dead")]
                )
            )
            let properties = MessageProperties(messageID: "doomed")
            #expect(
                try await connection.publish(exchange: "", routingKey: work.name, body: [UInt8]("x"), properties: properties)
                    == .confirmed
            )

            let workCollector = DeliveryCollector(try await connection.consume(queue: work.name))
            let delivery = try #require(await workCollector.wait(for: 1).first)
            try await delivery.reject(requeue: false)

            let deadCollector = DeliveryCollector(try await connection.consume(queue: dead.name))
            let deadLettered = try #require(await deadCollector.wait(for: 1).first)
            #expect(deadLettered.properties.messageID == "doomed")
            #expect(deadLettered.exchange == dlx.name)
            guard case .array(let deaths)? = deadLettered.properties.headers["x-death"],
                case .table(let death)? = deaths.first
            else {
                Issue.record("no x-death header: \(deadLettered.properties.headers)")
                return
            }
            #expect(death["queue"] == .string(work.name))
            #expect(death["reason"] == "rejected")
            try await deadLettered.ack()
            await connection.close()
        }

        @Test func cancelEndsTheSequenceAndUnsettledDeliveriesCanStillBeAcked() async throws {
            let connection = try await TestBroker.connect("cancel")
            let queue = TestBroker.queue("cancel")
            try await connection.declare(Topology(queues: [queue]))
            _ = try await connection.publish(exchange: "", routingKey: queue.name, body: [UInt8]("a"))
            let consumer = try await connection.consume(queue: queue.name)
            var iterator = consumer.makeAsyncIterator()
            let delivery = try #require(try await iterator.next())
            await consumer.cancel()
            #expect(try await iterator.next() == nil)
            try await delivery.ack()
            #expect(try await connection.publish(exchange: "", routingKey: queue.name, body: []) == .confirmed)
            await connection.close()
        }

        @Test func consumingAMissingQueueIsRefused() async throws {
            let connection = try await TestBroker.connect("missing-queue")
            await #expect(throws: AMQPError.self) { _ = try await connection.consume(queue: "no-such-queue-here") }
            #expect(connection.state == .connected)
            await connection.close()
        }

        @Test func inspectCountsReadyMessagesAndConsumers() async throws {
            let queue = TestBroker.queue("inspect")
            let connection = try await TestBroker.connect("inspect", topology: Topology(queues: [queue]))
            #expect(try await connection.inspect(queue: queue.name) == QueueStatus(messages: 0, consumers: 0))
            for index in 0..<3 {
                #expect(
                    try await connection.publish(exchange: "", routingKey: queue.name, body: [UInt8]("m\(index)")) == .confirmed
                )
            }
            #expect(try await connection.inspect(queue: queue.name) == QueueStatus(messages: 3, consumers: 0))
            let consumer = try await TestBroker.connect("inspect-consumer")
            let collector = DeliveryCollector(try await consumer.consume(queue: queue.name, prefetch: 1))
            _ = await collector.wait(for: 1)
            let status = try await connection.inspect(queue: queue.name)
            #expect(status.consumers == 1)
            #expect(status.messages == 2)  // one is delivered and not yet acknowledged
            // A missing queue is refused without creating it, and the connection stays usable.
            await #expect(throws: AMQPError.self) { _ = try await connection.inspect(queue: "no-such-queue-inspected") }
            await #expect(throws: AMQPError.self) { _ = try await connection.inspect(queue: "no-such-queue-inspected") }
            #expect(try await connection.inspect(queue: queue.name).consumers == 1)
            await consumer.close()
            await connection.close()
        }
    }
}
