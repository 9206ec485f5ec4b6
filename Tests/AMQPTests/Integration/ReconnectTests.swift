import AMQP
import AMQPTestSupport
import Testing

extension RabbitMQIntegrationTests {
    @Suite("reconnection", .enabled(if: TestBroker.canRestart, "PASARELA_TEST_RABBITMQ_DIR is unset: cannot stop the broker"))
    struct Reconnection {
        /// Polls `condition` until it holds or `timeout` passes.
        func eventually(_ timeout: Duration, _ condition: () -> Bool) async -> Bool {
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while !condition(), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            return condition()
        }

        @Test func brokerStopFailsPublishesFastThenEverythingComesBack() async throws {
            let queue = TestBroker.queue("reconnect", durable: true)
            let publisher = try await TestBroker.connect("reconnect-pub", topology: Topology(queues: [queue]))
            let consumerConnection = try await TestBroker.connect("reconnect-sub", topology: Topology(queues: [queue]))
            let collector = DeliveryCollector(try await consumerConnection.consume(queue: queue.name))
            #expect(try await publisher.publish(exchange: "", routingKey: queue.name, body: [UInt8]("before")) == .confirmed)
            let before = try #require(await collector.wait(for: 1).first)
            try await before.ack()

            let states = publisher.stateChanges
            try await TestBroker.ctl("stop_app")
            #expect(await eventually(.seconds(15)) { !publisher.state.isConnected })
            guard case .disconnected = publisher.state else {
                Issue.record("expected disconnected, got \(publisher.state)")
                return
            }
            let start = ContinuousClock.now
            await #expect(throws: AMQPError.notConnected) {
                try await publisher.publish(exchange: "", routingKey: queue.name, body: [UInt8]("during"))
            }
            #expect(start.duration(to: .now) < .milliseconds(100))

            try await TestBroker.ctl("start_app")
            #expect(await publisher.waitUntilConnected(timeout: .seconds(30)))
            #expect(await consumerConnection.waitUntilConnected(timeout: .seconds(30)))
            #expect(try await publisher.publish(exchange: "", routingKey: queue.name, body: [UInt8]("after")) == .confirmed)
            let after = try #require(await collector.wait(for: 2).last)
            #expect(after.body == [UInt8]("after"))
            try await after.ack()

            var seen: [ConnectionState] = []
            for await state in states {
                seen.append(state)
                if seen.count > 1, state == .connected { break }
            }
            #expect(seen.first == .connected)
            #expect(seen.contains { if case .disconnected = $0 { true } else { false } })
            await consumerConnection.close()
            await publisher.close()
        }

        @Test func waitWhileConnectingFollowsTheAttemptUnderWay() async throws {
            let url = try #require(TestBroker.url)
            let fresh = AMQPConnection(configuration: AMQPConfiguration(url: try AMQPURL(url), connectionName: "fresh"))
            #expect(await fresh.waitWhileConnecting(timeout: .seconds(20)))
            await fresh.close()

            // Nothing listens on port 1: the attempt fails at once, and so does the wait.
            let refused = AMQPConnection(configuration: AMQPConfiguration(url: try AMQPURL("amqp://127.0.0.1:1/")))
            let start = ContinuousClock.now
            #expect(await refused.waitWhileConnecting(timeout: .seconds(20)) == false)
            #expect(start.duration(to: .now) < .seconds(5))
            await refused.close()
        }
    }
}
