import AMQP
import AMQPTestSupport
import Logging
import Testing

extension RabbitMQIntegrationTests {
    @Suite("amqps", .enabled(if: TestBroker.environment["PASARELA_TEST_AMQPS_URL"] != nil, "PASARELA_TEST_AMQPS_URL is unset"))
    struct TLS {
        func configuration(_ url: AMQPURL, name: String) -> AMQPConfiguration {
            AMQPConfiguration(url: url, connectionName: "test-\(name)", reconnectBackoff: Backoff(maximum: .seconds(1)))
        }

        var logger: Logger {
            var logger = Logger(label: "test.amqps")
            logger.logLevel = .error
            return logger
        }

        @Test func publishAndConsumeOverTLS() async throws {
            let url = try AMQPURL(try #require(TestBroker.environment["PASARELA_TEST_AMQPS_URL"]))
            #expect(url.usesTLS)
            let connection = AMQPConnection(configuration: configuration(url, name: "tls"), logger: logger)
            #expect(await connection.waitUntilConnected(timeout: .seconds(10)))
            let queue = TestBroker.queue("tls")
            try await connection.declare(Topology(queues: [queue]))
            let outcomes = try await withThrowingTaskGroup(of: PublishOutcome.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await connection.publish(exchange: "", routingKey: queue.name, body: [UInt8]("tls \(index)"))
                    }
                }
                return try await group.reduce(into: [PublishOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.count == 200 && outcomes.allSatisfy { $0 == .confirmed })
            let collector = DeliveryCollector(try await connection.consume(queue: queue.name, prefetch: 50))
            var acked = 0
            while acked < 200 {
                let batch = await collector.wait(for: acked + 1)
                guard batch.count > acked else { break }
                for delivery in batch[acked...] { try await delivery.ack() }
                acked = batch.count
            }
            #expect(acked == 200)
            await connection.close()
        }

        @Test func untrustedCertificateIsRefused() async throws {
            var url = try AMQPURL(try #require(TestBroker.environment["PASARELA_TEST_AMQPS_URL"]))
            url.tls.caCertificatePath = nil  // the system bundle does not know the test CA
            let connection = AMQPConnection(configuration: configuration(url, name: "untrusted"), logger: logger)
            #expect(await connection.waitUntilConnected(timeout: .seconds(2)) == false)
            guard case .disconnected(let reason) = connection.state else {
                Issue.record("expected disconnected, got \(connection.state)")
                return
            }
            #expect(reason.contains("connect"))
            await connection.close()
        }
    }
}
