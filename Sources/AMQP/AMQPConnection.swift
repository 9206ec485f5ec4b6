import Foundation
import Logging

/// A connection to RabbitMQ that keeps itself up.
///
/// rabbitmq-c is blocking, so each connection runs on a dedicated thread of its own (never an
/// event loop or the concurrency pool); the methods here are `async` and resumed from it. The
/// connection starts in the background as soon as it is created, reconnects with backoff when it
/// drops, and then declares its topology and restarts its consumers. While it is down, publishes
/// fail at once with ``AMQPError/notConnected``.
///
/// Use one connection for publishing and another for consuming, as RabbitMQ advises (flow control
/// on a publishing connection must not stall deliveries). Keep the connection alive while its
/// consumers run: releasing it closes it.
public final class AMQPConnection: Sendable {
    let core: ConnectionCore
    /// The configuration the connection was created with.
    public let configuration: AMQPConfiguration

    /// Creates the connection and starts connecting in the background.
    public init(configuration: AMQPConfiguration, logger: Logger = Logger(label: "pasarela.amqp")) {
        let core = ConnectionCore()
        self.core = core
        self.configuration = configuration
        let name = "amqp \(configuration.connectionName ?? configuration.url.host)"
        let thread = Thread {
            Thread.current.name = name
            ConnectionLoop(core: core, configuration: configuration, logger: logger).run()
        }
        thread.start()
    }

    /// Parses `url` (see ``AMQPURL``) and connects with the default configuration.
    public convenience init(url: String, logger: Logger = Logger(label: "pasarela.amqp")) throws(AMQPError) {
        self.init(configuration: AMQPConfiguration(url: try AMQPURL(url)), logger: logger)
    }

    deinit {
        core.send(.close(nil), requiresConnection: false)
    }

    /// The current state.
    public var state: ConnectionState { core.state }

    /// The current state, then every change; finishes after ``ConnectionState/closed``.
    public var stateChanges: AsyncStream<ConnectionState> { core.stateChanges() }

    /// Waits until connected; `false` if `timeout` passed first or the connection was closed.
    public func waitUntilConnected(timeout: Duration) async -> Bool {
        let states = stateChanges
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await state in states {
                    if state == .connected { return true }
                    if state == .closed { return false }
                }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let connected = await group.next() ?? false
            group.cancelAll()
            return connected
        }
    }

    /// Waits while a connection attempt is under way, at most `timeout`: `true` once connected,
    /// `false` as soon as the attempt fails, the connection closes, or the time is up. Returns at
    /// once when not connecting, so that callers wait for a broker that is coming up (a gateway's
    /// first requests) but never for one that is known to be down.
    public func waitWhileConnecting(timeout: Duration) async -> Bool {
        switch state {
        case .connected: return true
        case .disconnected, .closed: return false
        case .connecting: break
        }
        let states = stateChanges
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await state in states where state != .connecting {
                    return state == .connected
                }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let connected = await group.next() ?? false
            group.cancelAll()
            return connected
        }
    }

    /// Closes the connection: in-flight publishes fail with ``AMQPError/closed``, consumers finish,
    /// the thread ends. Returns once all of that is done.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            core.send(.close(continuation), requiresConnection: false)
        }
    }
}
