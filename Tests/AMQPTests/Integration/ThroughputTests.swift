import AMQP
import AMQPTestSupport
import Foundation
import Testing

extension RabbitMQIntegrationTests {
    /// Not a benchmark suite: a quick measurement of confirmed publishes per second with 100 in
    /// flight, run only when `PASARELA_AMQP_THROUGHPUT` is set (to the number of messages).
    ///
    /// By default it publishes 128-byte messages to a queue of its own. `bench/amqp.sh` points it at
    /// the gateway's destination instead, so that both sides of its comparison ask the broker for the
    /// same work: `PASARELA_AMQP_THROUGHPUT_EXCHANGE` and `_ROUTING_KEY` (published `mandatory`, with
    /// the properties the gateway sets on a job), `_BODY_BYTES` (the gateway's envelope size) and
    /// `_MODE` (`persistent` or `transient`: only that one runs).
    @Suite("throughput", .enabled(if: TestBroker.environment["PASARELA_AMQP_THROUGHPUT"] != nil, "set PASARELA_AMQP_THROUGHPUT=N to measure"))
    struct Throughput {
        @Test(arguments: [DeliveryMode.transient, .persistent])
        func confirmedPublishesPerSecond(mode: DeliveryMode) async throws {
            let environment = TestBroker.environment
            if let only = environment["PASARELA_AMQP_THROUGHPUT_MODE"], only != "\(mode)" { return }
            let total = Int(environment["PASARELA_AMQP_THROUGHPUT"] ?? "") ?? 50_000
            let inFlight = 100
            let connection = try await TestBroker.connect("throughput")
            let exchange: String
            let routingKey: String
            let mandatory: Bool
            if let named = environment["PASARELA_AMQP_THROUGHPUT_EXCHANGE"], !named.isEmpty {
                exchange = named
                routingKey = environment["PASARELA_AMQP_THROUGHPUT_ROUTING_KEY"] ?? ""
                mandatory = true
            } else {
                let queue = TestBroker.queue("throughput", durable: true, arguments: ["x-max-length": 10_000])
                try await connection.declare(Topology(queues: [queue]))
                exchange = ""
                routingKey = queue.name
                mandatory = false
            }
            let size = Int(environment["PASARELA_AMQP_THROUGHPUT_BODY_BYTES"] ?? "") ?? 128
            let body = [UInt8](repeating: 0x61, count: max(1, size))
            let start = ContinuousClock.now
            let confirmed = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<inFlight {
                    group.addTask {
                        var confirmed = 0
                        for _ in 0..<(total / inFlight) {
                            // A job's properties, as the gateway sets them (ids, timestamp, headers).
                            let id = UUID().uuidString.lowercased()
                            let properties = MessageProperties(
                                contentType: "application/json",
                                headers: ["x-request-id": .string(id)],
                                deliveryMode: mode,
                                correlationID: id,
                                messageID: id,
                                timestamp: Date(),
                                type: "http-request",
                                appID: "pasarela"
                            )
                            let outcome = try await connection.publish(
                                exchange: exchange,
                                routingKey: routingKey,
                                body: body,
                                properties: properties,
                                mandatory: mandatory
                            )
                            if outcome == .confirmed { confirmed += 1 }
                        }
                        return confirmed
                    }
                }
                return try await group.reduce(0, +)
            }
            let seconds = Double(start.duration(to: .now).components.attoseconds) / 1e18
                + Double(start.duration(to: .now).components.seconds)
            print("throughput: \(mode) \(confirmed) confirmed in \(seconds) s = \(Int(Double(confirmed) / seconds)) msg/s, \(inFlight) in flight")
            #expect(confirmed == total / inFlight * inFlight)
            await connection.close()
        }
    }
}
