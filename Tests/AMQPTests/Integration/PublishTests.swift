import AMQP
import AMQPTestSupport
import Foundation
import Synchronization
import Testing

extension RabbitMQIntegrationTests {
    @Suite("publishing")
    struct Publishing {
        @Test func publishIsConfirmed() async throws {
            let connection = try await TestBroker.connect("confirmed")
            let queue = TestBroker.queue("confirmed")
            try await connection.declare(Topology(queues: [queue]))
            let outcome = try await connection.publish(exchange: "", routingKey: queue.name, body: [UInt8]("hello"))
            #expect(outcome == .confirmed)
            await connection.close()
            #expect(connection.state == .closed)
        }

        @Test func persistentDeliveryRoundTripsEveryProperty() async throws {
            let publisher = try await TestBroker.connect("properties-pub")
            let consumerConnection = try await TestBroker.connect("properties-sub")
            let queue = TestBroker.queue("properties", durable: true)
            try await publisher.declare(Topology(queues: [queue]))
            let properties = MessageProperties(
                contentType: "application/json", contentEncoding: "identity",
                headers: [
                    "x-request-id": "req-1", "x-consumer-username": "alice", "attempt": 3, "flag": true,
                    "ratio": .double(0.5), "nested": .table(["k": "v"]), "list": .array(["a", 1]),
                ],
                deliveryMode: .persistent, priority: 4, correlationID: "corr-1", replyTo: "replies",
                expiration: "60000", messageID: "job-1", timestamp: Date(timeIntervalSince1970: 1_700_000_000),
                type: "http-request", userID: "guest", appID: "pasarela")
            let body = [UInt8]("{\"id\":\"job-1\"}")
            #expect(try await publisher.publish(exchange: "", routingKey: queue.name, body: body, properties: properties) == .confirmed)

            let collector = DeliveryCollector(try await consumerConnection.consume(queue: queue.name))
            let delivery = try #require(await collector.wait(for: 1).first)
            #expect(delivery.body == body)
            #expect(delivery.properties == properties)
            #expect(delivery.exchange == "")
            #expect(delivery.routingKey == queue.name)
            #expect(!delivery.redelivered)
            try await delivery.ack()
            await consumerConnection.close()
            await publisher.close()
        }

        @Test func aBatchIsConfirmedMessageByMessageInOrder() async throws {
            let publisher = try await TestBroker.connect("batch-pub")
            let consumerConnection = try await TestBroker.connect("batch-sub")
            let queue = TestBroker.queue("batch", durable: true)
            try await publisher.declare(Topology(queues: [queue]))
            // One hand-over of 200 publishes; number 100 goes nowhere (mandatory, no such queue).
            let outcomes = Outcomes()
            let batch = (0..<200).map { index in
                AMQPConnection.PendingPublish(
                    exchange: "",
                    routingKey: index == 100 ? queue.name + ".nowhere" : queue.name,
                    body: [UInt8]("message \(index)"),
                    properties: MessageProperties(deliveryMode: .persistent, messageID: "m\(index)"),
                    mandatory: true
                ) { result in outcomes.record(index, result) }
            }
            publisher.publish(batch)
            let settled = try await outcomes.wait(for: 200)
            // Once each; in the order the broker settles them (a return comes before the acks around it).
            #expect(settled.map(\.index).sorted() == Array(0..<200))
            for (index, result) in settled {
                if index == 100 {
                    guard case .success(.unroutable) = result else {
                        Issue.record("message 100: \(result)")
                        continue
                    }
                } else {
                    #expect((try? result.get()) == .confirmed, "message \(index)")
                }
            }

            let collector = DeliveryCollector(try await consumerConnection.consume(queue: queue.name, prefetch: 250))
            let deliveries = await collector.wait(for: 199)
            for delivery in deliveries { try await delivery.ack() }
            try await Task.sleep(for: .milliseconds(300))  // room for a duplicate to show up
            let ids = collector.deliveries.compactMap(\.properties.messageID)
            #expect(ids == (0..<200).filter { $0 != 100 }.map { "m\($0)" })
            await consumerConnection.close()
            await publisher.close()
        }

        /// The outcomes of a batch's publishes, in the order their completions ran.
        final class Outcomes: Sendable {
            private let settled = Mutex<[(index: Int, result: Result<PublishOutcome, any Error>)]>([])

            func record(_ index: Int, _ result: Result<PublishOutcome, any Error>) {
                settled.withLock { $0.append((index, result)) }
            }

            func wait(for count: Int) async throws -> [(index: Int, result: Result<PublishOutcome, any Error>)] {
                for _ in 0..<300 {
                    let current = settled.withLock { $0 }
                    if current.count >= count { return current }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return settled.withLock { $0 }
            }
        }

        @Test func thousandConcurrentPublishesAreConfirmedAndDeliveredOnce() async throws {
            let publisher = try await TestBroker.connect("thousand-pub")
            let consumerConnection = try await TestBroker.connect("thousand-sub")
            let queue = TestBroker.queue("thousand", durable: true)
            try await publisher.declare(Topology(queues: [queue]))
            let outcomes = try await withThrowingTaskGroup(of: PublishOutcome.self) { group in
                for index in 0..<1000 {
                    group.addTask {
                        try await publisher.publish(
                            exchange: "", routingKey: queue.name, body: [UInt8]("message \(index)"),
                            properties: MessageProperties(deliveryMode: .persistent, messageID: "m\(index)"))
                    }
                }
                return try await group.reduce(into: [PublishOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.count == 1000)
            #expect(outcomes.allSatisfy { $0 == .confirmed })

            let collector = DeliveryCollector(try await consumerConnection.consume(queue: queue.name, prefetch: 200))
            var acked = 0
            while acked < 1000 {
                let batch = await collector.wait(for: acked + 1)
                guard batch.count > acked else { break }
                for delivery in batch[acked...] { try await delivery.ack() }
                acked = batch.count
            }
            try await Task.sleep(for: .milliseconds(300))  // room for a duplicate to show up
            let ids = collector.deliveries.compactMap(\.properties.messageID)
            #expect(ids.count == 1000)
            #expect(Set(ids) == Set((0..<1000).map { "m\($0)" }))
            await consumerConnection.close()
            await publisher.close()
        }

        @Test func largeBodySpansManyFrames() async throws {
            let publisher = try await TestBroker.connect("large-pub")
            let consumerConnection = try await TestBroker.connect("large-sub")
            let queue = TestBroker.queue("large")
            try await publisher.declare(Topology(queues: [queue]))
            let body = (0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let small = [UInt8]("small")
            async let large = publisher.publish(exchange: "", routingKey: queue.name, body: body)
            async let next = publisher.publish(exchange: "", routingKey: queue.name, body: small)
            #expect(try await [large, next] == [.confirmed, .confirmed])
            let collector = DeliveryCollector(try await consumerConnection.consume(queue: queue.name))
            let deliveries = await collector.wait(for: 2)
            #expect(Set(deliveries.map(\.body)) == [body, small])
            for delivery in deliveries { try await delivery.ack() }
            await consumerConnection.close()
            await publisher.close()
        }

        @Test func idleConnectionKeepsItsHeartbeats() async throws {
            let connection = try await TestBroker.connect("heartbeat", heartbeat: .seconds(1))
            try await Task.sleep(for: .seconds(4))  // the broker drops a peer silent for 2 intervals
            #expect(connection.state == .connected)
            let queue = TestBroker.queue("heartbeat")
            try await connection.declare(Topology(queues: [queue]))
            #expect(try await connection.publish(exchange: "", routingKey: queue.name, body: []) == .confirmed)
            await connection.close()
        }

        @Test func unroutableMandatoryPublishIsReturned() async throws {
            let connection = try await TestBroker.connect("unroutable")
            let key = "nobody.\(UUID().uuidString)"
            let returned = try await connection.publish(
                exchange: "amq.direct", routingKey: key, body: [UInt8]("lost"),
                properties: MessageProperties(messageID: "u1"), mandatory: true)
            #expect(returned == .unroutable(replyCode: 312, replyText: "NO_ROUTE"))
            let dropped = try await connection.publish(exchange: "amq.direct", routingKey: key, body: [UInt8]("lost"))
            #expect(dropped == .confirmed)
            await connection.close()
        }

        @Test func missingExchangeFailsThePublishAndTheChannelRecovers() async throws {
            let connection = try await TestBroker.connect("missing-exchange")
            await #expect(throws: AMQPError.self) {
                try await connection.publish(exchange: "no-such-exchange-\(UUID().uuidString)", routingKey: "k", body: [])
            }
            let queue = TestBroker.queue("after-missing")
            try await connection.declare(Topology(queues: [queue]))
            #expect(try await connection.publish(exchange: "", routingKey: queue.name, body: []) == .confirmed)
            await connection.close()
        }

        @Test func conflictingDeclarationIsRefusedAndTheConnectionStays() async throws {
            let connection = try await TestBroker.connect("conflict")
            let queue = TestBroker.queue("conflict")
            try await connection.declare(Topology(queues: [queue]))
            var conflicting = queue
            conflicting.arguments["x-message-ttl"] = 5
            await #expect(throws: AMQPError.self) { try await connection.declare(Topology(queues: [conflicting])) }
            #expect(connection.state == .connected)
            try await connection.declare(Topology(queues: [queue]))
            await connection.close()
        }

        @Test func publishAfterCloseFailsAtOnce() async throws {
            let connection = try await TestBroker.connect("closed")
            await connection.close()
            await #expect(throws: AMQPError.closed) {
                try await connection.publish(exchange: "", routingKey: "x", body: [])
            }
        }
    }
}
