import AMQP
import NIOEmbedded
import Synchronization
import Testing

@testable import Gateway

/// The jobs of one event-loop turn go to the connection's thread together, at the end of the turn.
@Suite struct PublishOutboxTests {
    @Test func aTurnsPublishesAreHandedOverTogetherWhenItEnds() throws {
        let loop = EmbeddedEventLoop()
        // A broker that is never there: the connection refuses publishes at once (503 in the gateway).
        let connection = AMQPConnection(configuration: AMQPConfiguration(url: try AMQPURL("amqp://127.0.0.1:1/")))
        let outcomes = Mutex<[String]>([])
        let box = PublishOutboxes().outbox(for: loop)
        for index in 0..<3 {
            let publish = AMQPConnection.PendingPublish(exchange: "x", routingKey: "k", body: [UInt8(index)]) { result in
                let outcome: String
                switch result {
                case .success(let published): outcome = "\(index): \(published)"
                case .failure(let error): outcome = "\(index): \(error)"
                }
                outcomes.withLock { $0.append(outcome) }
            }
            box.value.add(publish, on: connection, loop: loop, box: box)
        }
        #expect(outcomes.withLock { $0 }.isEmpty, "nothing is handed over before the turn ends")
        loop.run()
        let notConnected = "\(AMQPError.notConnected)"
        #expect(outcomes.withLock { $0 } == ["0: \(notConnected)", "1: \(notConnected)", "2: \(notConnected)"])

        // The next turn starts a new batch.
        box.value.add(
            AMQPConnection.PendingPublish(exchange: "x", routingKey: "k", body: []) { _ in outcomes.withLock { $0.append("3") } },
            on: connection,
            loop: loop,
            box: box
        )
        loop.run()
        #expect(outcomes.withLock { $0.count } == 4)
    }

    @Test func eachLoopHasItsOwnOutbox() {
        let outboxes = PublishOutboxes()
        let first = EmbeddedEventLoop()
        let second = EmbeddedEventLoop()
        #expect(outboxes.outbox(for: first).value === outboxes.outbox(for: first).value)
        #expect(outboxes.outbox(for: first).value !== outboxes.outbox(for: second).value)
    }
}
