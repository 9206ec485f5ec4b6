import AMQP
import Foundation
import Ledger
import Logging
import ServiceLifecycle
import Synchronization

/// Publishes the ledger's outbox: events written in the same transaction as their payment are sent to
/// `pagos.events` (persistent, confirmed) and only then marked published. A crash in between sends an
/// event twice, never zero times; consumers keep at most one per event id. The connection should
/// declare the exchange on connect (``topology(exchange:)``).
public final class OutboxRelay: Service, Sendable {
    let ledger: any LedgerStore
    let connection: AMQPConnection
    let exchange: String
    let pollInterval: Duration
    let logger: Logger
    private let signal = WakeSignal()
    /// Events published by this process.
    public let published = Atomic<Int>(0)

    public init(
        ledger: any LedgerStore,
        connection: AMQPConnection,
        exchange: String,
        pollInterval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.ledger = ledger
        self.connection = connection
        self.exchange = exchange
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// What the relay's connection declares on every connect: the durable topic exchange of events.
    public static func topology(exchange: String) -> Topology {
        Topology(exchanges: [ExchangeDeclaration(name: exchange, type: .topic, durable: true)])
    }

    /// Asks for a pass now (after a payment was committed).
    public func wake() {
        signal.signal()
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let sent = await publishPending()
                if sent == 0 { await signal.wait(timeout: pollInterval) }
            }
        } onGracefulShutdown: {
            self.signal.signal()
        }
    }

    /// Publishes what is pending; returns how many events were sent.
    func publishPending() async -> Int {
        do {
            let events = try await ledger.unpublishedEvents(limit: 100)
            guard !events.isEmpty else { return 0 }
            var done: [Int64] = []
            for event in events {
                let outcome = try await connection.publish(
                    exchange: exchange,
                    routingKey: event.event,
                    body: Array(event.payload.utf8),
                    properties: MessageProperties(
                        contentType: "application/json",
                        deliveryMode: .persistent,
                        correlationID: event.transactionID,
                        messageID: event.eventID,
                        timestamp: event.createdAt,
                        type: event.event,
                        appID: "pagos-payments"
                    )
                )
                guard outcome == .confirmed else { break }
                done.append(event.id)
            }
            try await ledger.markPublished(done)
            published.add(done.count, ordering: .relaxed)
            return done.count
        } catch {
            logger.warning("outbox not published yet", metadata: ["error": "\(error)"])
            return 0
        }
    }
}

/// Wakes one waiting task early; a signal with nobody waiting is kept for the next wait.
final class WakeSignal: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns on a signal or after `timeout`. One waiter at a time.
    func wait(timeout: Duration) async {
        let timer = Task { [self] in
            do {
                try await Task.sleep(for: timeout)
                signal()
            } catch {
                // Cancelled: the wait ended by a signal.
            }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
        timer.cancel()
    }
}
