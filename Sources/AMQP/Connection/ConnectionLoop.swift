import Logging

/// The body of a connection's thread: runs the ``ConnectionStateMachine``'s actions, takes commands,
/// reads frames and fires timeouts. Thread-confined; everything blocking happens here.
final class ConnectionLoop {
    let core: ConnectionCore
    let configuration: AMQPConfiguration
    var logger: Logger
    var machine: ConnectionStateMachine
    var session: Session?
    /// Declared on every connect: the configuration's topology plus what `declare` added.
    var topology: Topology
    /// Consumers to run on every connection, by id.
    var consumers: [UInt64: ConsumerRegistration] = [:]
    var closeWaiters: [CheckedContinuation<Void, Never>] = []
    private var running = true
    /// Failed attempts since the last success: only the first of a streak is logged as a warning.
    private var failuresInARow = 0

    /// Frames read before looking at commands again, so neither side starves.
    static let frameBudget = 4096
    /// Longest sleep: rabbitmq-c sends and checks heartbeats only when called.
    static let maximumSleep: Duration = .seconds(1)

    init(core: ConnectionCore, configuration: AMQPConfiguration, logger: Logger) {
        self.core = core
        self.configuration = configuration
        self.logger = logger
        self.logger[metadataKey: "amqp.broker"] = "\(configuration.url.host):\(configuration.url.port)"
        self.machine = ConnectionStateMachine(backoff: configuration.reconnectBackoff)
        self.topology = configuration.topology
    }

    /// Runs until the connection is closed.
    func run() {
        execute(machine.start())
        while running {
            switch machine.state {
            case .connected:
                serviceSession()
            case .waiting(_, let retryAt, _):
                waitForRetry(until: retryAt)
            case .idle, .connecting, .closing, .closed, .failed:
                running = false
            }
        }
    }

    /// Runs one action of the state machine, and the ones that follow from it.
    func execute(_ action: ConnectionStateMachine.Action) {
        switch action {
        case .none:
            break
        case .connect(let attempt):
            connect(attempt: attempt)
        case .announceConnected(let generation):
            logger.info("AMQP connected", metadata: ["amqp.generation": "\(generation)"])
            failuresInARow = 0
            core.setState(.connected)
        case .scheduleReconnect(let reason, let retryAt):
            tearDownSession(failingWith: .connectionLost(reason))
            let delay = ContinuousClock.now.duration(to: retryAt).wholeMilliseconds
            let level: Logger.Level = failuresInARow == 0 ? .warning : .debug
            logger.log(level: level, "AMQP disconnected, retrying in \(delay) ms", metadata: ["amqp.reason": "\(reason)"])
            failuresInARow += 1
            core.setState(.disconnected(reason: reason))
        case .closeConnection:
            session?.connection.close()
            tearDownSession(failingWith: .closed)
            execute(machine.closeFinished())
        case .stop:
            stop()
        case .fail(let message):
            logger.error("AMQP connection state machine failed: \(message)")
            session?.connection.close()
            stop()
        }
    }

    private func connect(attempt: Int) {
        logger.debug("AMQP connecting", metadata: ["amqp.attempt": "\(attempt)"])
        do {
            let connection = try RabbitConnection.open(configuration.connectionOptions)
            let session = Session(connection: connection, generation: machine.generation + 1)
            try setUp(session)
            self.session = session
            execute(machine.connectSucceeded())
        } catch {
            execute(machine.connectFailed(reason: "\(error)", now: .now))
        }
    }

    /// The connection broke: fail what was in flight and schedule a reconnect.
    func connectionFailed(_ error: any Error) {
        guard case .connected = machine.state else { return }
        execute(machine.connectionLost(reason: "\(error)", now: .now))
    }

    /// Fails everything that waited on the session and forgets it.
    func tearDownSession(failingWith error: AMQPError) {
        guard let session else { return }
        self.session = nil
        for token in session.confirms.reset() {
            if case .publish(let completion) = token { completion(.failure(error)) }
        }
        for waiter in session.replies.removeAll() { waiter.resume(throwing: error) }
    }

    private func stop() {
        tearDownSession(failingWith: .closed)
        running = false
        for registration in consumers.values { registration.continuation.finish() }
        consumers = [:]
        for command in core.setState(.closed) { command.fail(.closed) }
        for waiter in closeWaiters { waiter.resume() }
        closeWaiters = []
        logger.debug("AMQP connection closed")
    }

    /// One turn while connected: commands, then frames, then timeouts, then sleep if idle.
    private func serviceSession() {
        for command in core.takeCommands() { perform(command) }
        guard let session, case .connected = machine.state else { return }
        var frames = 0
        do {
            try session.connection.flush()
            while frames < Self.frameBudget, let frame = try session.connection.nextFrame() {
                try handle(frame, in: session)
                frames += 1
            }
            session.connection.releaseBuffers()
        } catch {
            connectionFailed(error)
            return
        }
        fireTimeouts(in: session, now: .now)
        guard frames < Self.frameBudget, core.prepareToSleep() else { return }
        defer { core.wokeUp() }
        var sleep = Self.maximumSleep
        if let deadline = session.nextDeadline { sleep = min(sleep, ContinuousClock.now.duration(to: deadline)) }
        _ = core.wakeup.wait(for: session.connection.fileDescriptor, timeout: max(.zero, sleep))
    }

    /// One turn while disconnected: refuse or record commands, then sleep until the retry.
    private func waitForRetry(until retryAt: ContinuousClock.Instant) {
        for command in core.takeCommands() { perform(command) }
        guard case .waiting = machine.state else { return }
        let now = ContinuousClock.now
        if now >= retryAt {
            execute(machine.tick(now: now))
            return
        }
        guard core.prepareToSleep() else { return }
        defer { core.wokeUp() }
        _ = core.wakeup.wait(for: -1, timeout: min(Self.maximumSleep, now.duration(to: retryAt)))
    }

    /// Settles what has waited too long.
    private func fireTimeouts(in session: Session, now: ContinuousClock.Instant) {
        resolve(session.confirms.expire(now: now), in: session)
        for waiter in session.replies.expire(now: now) { waiter.resume(returning: .timedOut) }
    }

    /// Hands confirm outcomes to the publishers (or to the RPC calls they belong to).
    func resolve(_ settled: [ConfirmTracker<Session.ConfirmToken>.Settled], in session: Session) {
        for item in settled {
            switch item.token {
            case .publish(let completion):
                completion(.success(item.outcome))
            case .rpc(let correlationID):
                guard item.outcome != .confirmed, let waiter = session.replies.resolve(correlationID) else { continue }
                waiter.resume(returning: item.outcome == .timedOut ? .timedOut : .notDelivered(item.outcome))
            }
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded down.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
