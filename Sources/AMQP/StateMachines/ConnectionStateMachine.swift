/// The life of one ``AMQPConnection``: connect, lose, back off, reconnect, close. A pure value:
/// the connection thread feeds it events with the current time and runs the actions it returns.
struct ConnectionStateMachine {
    typealias Instant = ContinuousClock.Instant

    enum State: Hashable {
        /// Created; the thread has not started.
        case idle
        /// Attempt number `attempt` (1 after a success) is under way.
        case connecting(attempt: Int)
        /// Connected; `generation` counts successful connections from 1.
        case connected(generation: UInt64)
        /// Lost or failed; attempt `attempt` starts at `retryAt`.
        case waiting(attempt: Int, retryAt: Instant, reason: String)
        /// ``AMQPConnection/close()`` was asked while connected or connecting; tearing down.
        case closing
        /// Closed for good.
        case closed
        /// An event arrived that the current state cannot take: a bug. Terminal, like `closed`.
        case failed(String)
    }

    enum Action: Hashable {
        /// Nothing to do.
        case none
        /// Open a connection (blocking), then report `connectSucceeded` or `connectFailed`.
        case connect(attempt: Int)
        /// Connected: announce it and let publishes through.
        case announceConnected(generation: UInt64)
        /// Fail whatever was in flight with `reason`, announce the disconnection, retry at `retryAt`.
        case scheduleReconnect(reason: String, retryAt: Instant)
        /// Close the broker connection, then report `closeFinished`.
        case closeConnection
        /// Fail everything left and end the thread.
        case stop
        /// An illegal transition: log it, fail everything and end the thread.
        case fail(String)
    }

    private(set) var state: State = .idle
    private(set) var generation: UInt64 = 0
    let backoff: Backoff
    private var random: any RandomNumberGenerator

    init(backoff: Backoff, random: some RandomNumberGenerator = SystemRandomNumberGenerator()) {
        self.backoff = backoff
        self.random = random
    }

    /// What callers see.
    var publicState: ConnectionState {
        switch state {
        case .idle, .connecting: .connecting
        case .connected: .connected
        case .waiting(_, _, let reason): .disconnected(reason: reason)
        case .closing, .closed: .closed
        case .failed(let why): .disconnected(reason: why)
        }
    }

    /// The thread started.
    mutating func start() -> Action {
        guard case .idle = state else { return illegal("start") }
        state = .connecting(attempt: 1)
        return .connect(attempt: 1)
    }

    /// The connection, its channels, topology and consumers are up.
    mutating func connectSucceeded() -> Action {
        switch state {
        case .connecting:
            generation += 1
            state = .connected(generation: generation)
            return .announceConnected(generation: generation)
        case .closing:
            return .closeConnection
        default:
            return illegal("connectSucceeded")
        }
    }

    /// The attempt failed.
    mutating func connectFailed(reason: String, now: Instant) -> Action {
        switch state {
        case .connecting(let attempt):
            return scheduleRetry(attempt: attempt + 1, delayAttempt: attempt, reason: reason, now: now)
        case .closing:
            state = .closed
            return .stop
        default:
            return illegal("connectFailed")
        }
    }

    /// An established connection broke (socket error, missed heartbeats, connection.close from the broker).
    mutating func connectionLost(reason: String, now: Instant) -> Action {
        switch state {
        case .connected:
            return scheduleRetry(attempt: 1, delayAttempt: 1, reason: reason, now: now)
        case .closing:
            return .closeConnection
        default:
            return illegal("connectionLost")
        }
    }

    /// Time passed while waiting; starts the next attempt once `retryAt` is reached.
    mutating func tick(now: Instant) -> Action {
        guard case .waiting(let attempt, let retryAt, _) = state, now >= retryAt else { return .none }
        state = .connecting(attempt: attempt)
        return .connect(attempt: attempt)
    }

    /// ``AMQPConnection/close()`` was called.
    mutating func closeRequested() -> Action {
        switch state {
        case .idle, .waiting:
            state = .closed
            return .stop
        case .connecting:
            state = .closing
            return .none
        case .connected:
            state = .closing
            return .closeConnection
        case .closing, .closed, .failed:
            return .none
        }
    }

    /// The broker connection is closed after `closeConnection`.
    mutating func closeFinished() -> Action {
        guard case .closing = state else { return illegal("closeFinished") }
        state = .closed
        return .stop
    }

    private mutating func scheduleRetry(attempt: Int, delayAttempt: Int, reason: String, now: Instant) -> Action {
        let retryAt = now.advanced(by: backoff.delay(attempt: delayAttempt, using: &random))
        state = .waiting(attempt: attempt, retryAt: retryAt, reason: reason)
        return .scheduleReconnect(reason: reason, retryAt: retryAt)
    }

    private mutating func illegal(_ event: String) -> Action {
        let message = "event \(event) in state \(state)"
        state = .failed(message)
        return .fail(message)
    }
}
