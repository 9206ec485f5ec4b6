import AMQP
import AMQPTestSupport
import Testing

extension RabbitMQIntegrationTests {
    /// Not a benchmark suite: a quick measurement of confirmed publishes per second with 100 in
    /// flight, run only when `PASARELA_AMQP_THROUGHPUT` is set (to the number of messages).
    @Suite("throughput", .enabled(if: TestBroker.environment["PASARELA_AMQP_THROUGHPUT"] != nil, "set PASARELA_AMQP_THROUGHPUT=N to measure"))
    struct Throughput {
        @Test(arguments: [DeliveryMode.transient, .persistent])
        func confirmedPublishesPerSecond(mode: DeliveryMode) async throws {
            let total = Int(TestBroker.environment["PASARELA_AMQP_THROUGHPUT"] ?? "") ?? 50_000
            let inFlight = 100
            let connection = try await TestBroker.connect("throughput")
            let queue = TestBroker.queue("throughput", durable: true, arguments: ["x-max-length": 10_000])
            try await connection.declare(Topology(queues: [queue]))
            let body = [UInt8](repeating: 0x61, count: 128)
            let properties = MessageProperties(contentType: "application/json", deliveryMode: mode)
            let start = ContinuousClock.now
            let confirmed = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<inFlight {
                    group.addTask {
                        var confirmed = 0
                        for _ in 0..<(total / inFlight) {
                            let outcome = try await connection.publish(
                                exchange: "", routingKey: queue.name, body: body, properties: properties)
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
