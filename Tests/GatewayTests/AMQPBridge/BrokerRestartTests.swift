import AMQP
import AMQPTestSupport
import Foundation
import GatewayTestSupport
import NIOCore
import Synchronization
import Testing

@testable import Gateway

/// The broker stopped and started while clients keep posting jobs: every job answered 202 is
/// delivered to the queue's consumer, the outage answers 503 (never a false 202), and the gateway
/// recovers by itself. Stops the shared broker, so `make test` runs it on its own.
@Suite(.serialized, .enabled(if: TestBroker.canRestart, "PASARELA_TEST_RABBITMQ_DIR is unset: cannot stop the broker"))
struct BrokerRestartTests {
    /// What the clients were told.
    final class Tally: Sendable {
        let accepted = Mutex<Set<String>>([])
        let unavailable = Atomic<Int>(0)
        let other = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
    }

    @Test func everyAcceptedJobIsDeliveredAcrossABrokerRestart() async throws {
        let exchange = TestBroker.uniqueName("restart")
        let key = TestBroker.uniqueName("restart.jobs")
        let config = AMQPRouteTests.config(exchange: exchange, key: key, url: try #require(TestBroker.url))
        try await withGateway(config) { gateway, _ in
            let consumer = try await TestBroker.connect(
                "restart-consumer",
                topology: WorkQueue(exchange: exchange, routingKey: key).topology
            )
            // Acknowledges as it goes, as a worker does; a delivery not yet acknowledged when the
            // broker stops comes again, flagged as redelivered.
            let received = Mutex<[(id: String, redelivered: Bool)]>([])
            let deliveries = try await consumer.consume(queue: key, prefetch: 100)
            let collecting = Task {
                for try await delivery in deliveries {
                    received.withLock { $0.append((delivery.properties.messageID ?? "", delivery.redelivered)) }
                    try? await delivery.ack()
                }
            }

            let tally = Tally()
            let clients = (0..<6).map { _ in
                Task {
                    while !tally.stop.load(ordering: .relaxed) {
                        do {
                            let response = try await gateway.request(
                                .POST,
                                "/users/1/pay",
                                headers: [("Content-Type", "application/json")],
                                body: ByteBuffer(string: #"{"amount": 100}"#)
                            )
                            switch response.status {
                            case 202:
                                let id = try #require(try response.json()["job_id"] as? String)
                                tally.accepted.withLock { _ = $0.insert(id) }
                            case 503:
                                tally.unavailable.add(1, ordering: .relaxed)
                            default:
                                tally.other.withLock { $0.append("\(response.status)") }
                            }
                        } catch {
                            tally.other.withLock { $0.append("\(error)") }
                        }
                    }
                }
            }
            // Load before, during and after the outage.
            #expect(await eventually(timeout: .seconds(20)) { tally.accepted.withLock { $0.count } >= 200 })
            try await TestBroker.ctl("stop_app")
            #expect(await eventually(timeout: .seconds(20)) { tally.unavailable.load(ordering: .relaxed) >= 20 })
            try await TestBroker.ctl("start_app")
            let beforeRecovery = tally.accepted.withLock { $0.count }
            #expect(await eventually(timeout: .seconds(60)) { tally.accepted.withLock { $0.count } >= beforeRecovery + 200 })
            tally.stop.store(true, ordering: .relaxed)
            for client in clients { await client.value }

            let accepted = tally.accepted.withLock { $0 }
            _ = await eventually(timeout: .seconds(30)) {
                accepted.isSubset(of: received.withLock { $0.map(\.id) })
            }
            let all = received.withLock { $0 }
            let missing = accepted.subtracting(all.map(\.id))
            #expect(missing.isEmpty, "\(missing.count) of \(accepted.count) accepted jobs were never delivered")
            // A job comes twice only when the broker redelivers one it had not seen acknowledged.
            let firstDeliveries = all.filter { !$0.redelivered }.map(\.id)
            #expect(Set(firstDeliveries).count == firstDeliveries.count, "a job was published twice")
            #expect(tally.unavailable.load(ordering: .relaxed) > 0)
            let other = tally.other.withLock { $0 }
            #expect(other.isEmpty, "\(other.count) unexpected answers, e.g. \(other.prefix(3))")
            collecting.cancel()
            await deliveries.cancel()
            await consumer.close()
        }
    }
}
