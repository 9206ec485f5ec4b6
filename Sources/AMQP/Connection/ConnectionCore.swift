import Synchronization

/// What callers and the connection thread share: the command inbox, the public state and its
/// observers, behind one lock; and the pipe that wakes the thread. Under the lock: decide; after
/// it: act (resume, signal).
final class ConnectionCore: Sendable {
    /// Whether a command was taken.
    enum Admission {
        case accepted
        case refused(AMQPError)
    }

    private struct Inbox {
        var commands: [Command] = []
        var state: ConnectionState = .connecting
        var threadSleeping = false
        var observers: [UInt64: AsyncStream<ConnectionState>.Continuation] = [:]
        var nextID: UInt64 = 1
    }

    private let inbox = Mutex(Inbox())
    let wakeup = WakeupPipe.make()

    deinit { wakeup.close() }

    /// The state callers see.
    var state: ConnectionState { inbox.withLock { $0.state } }

    /// A fresh id for consumers and observers.
    func makeID() -> UInt64 {
        inbox.withLock { inbox in
            defer { inbox.nextID += 1 }
            return inbox.nextID
        }
    }

    /// Queues `command` for the thread, or refuses it: always once closed, and when not connected
    /// if `requiresConnection` (so that publishes fail fast instead of waiting for a broker).
    func submit(_ command: Command, requiresConnection: Bool) -> Admission {
        let (admission, wake) = inbox.withLock { inbox -> (Admission, Bool) in
            if inbox.state == .closed { return (.refused(.closed), false) }
            if requiresConnection && inbox.state != .connected { return (.refused(.notConnected), false) }
            inbox.commands.append(command)
            let wake = inbox.threadSleeping
            inbox.threadSleeping = false
            return (.accepted, wake)
        }
        if wake { wakeup.signal() }
        return admission
    }

    /// Queues `commands` in one go (one lock, at most one wake-up), or refuses them all, like
    /// ``submit(_:requiresConnection:)``: the refused ones are returned with the reason.
    func submit(contentsOf commands: [Command], requiresConnection: Bool) -> (refused: [Command], reason: AMQPError?) {
        guard !commands.isEmpty else { return ([], nil) }
        let (refusal, wake) = inbox.withLock { inbox -> (AMQPError?, Bool) in
            if inbox.state == .closed { return (.closed, false) }
            if requiresConnection && inbox.state != .connected { return (.notConnected, false) }
            inbox.commands.append(contentsOf: commands)
            let wake = inbox.threadSleeping
            inbox.threadSleeping = false
            return (nil, wake)
        }
        if wake { wakeup.signal() }
        if let refusal { return (commands, refusal) }
        return ([], nil)
    }

    /// Submits `command`, failing it at once when refused.
    func send(_ command: Command, requiresConnection: Bool) {
        if case .refused(let error) = submit(command, requiresConnection: requiresConnection) {
            command.fail(error)
        }
    }

    /// The thread takes everything queued.
    func takeCommands() -> [Command] {
        inbox.withLock { inbox in
            guard !inbox.commands.isEmpty else { return [] }
            return inbox.commands.take()
        }
    }

    /// The thread is about to block; `false` if commands are already waiting (then it must not).
    func prepareToSleep() -> Bool {
        inbox.withLock { inbox in
            guard inbox.commands.isEmpty else { return false }
            inbox.threadSleeping = true
            return true
        }
    }

    /// The thread is awake again.
    func wokeUp() {
        inbox.withLock { $0.threadSleeping = false }
    }

    /// Publishes a new state to `state` and the observers. `.closed` is final: it also finishes
    /// the observers and returns the commands that were still queued, for the thread to fail.
    @discardableResult
    func setState(_ state: ConnectionState) -> [Command] {
        let (observers, leftovers) = inbox.withLock { inbox -> ([AsyncStream<ConnectionState>.Continuation], [Command]) in
            guard inbox.state != state, inbox.state != .closed else { return ([], []) }
            inbox.state = state
            let observers = Array(inbox.observers.values)
            guard state == .closed else { return (observers, []) }
            inbox.observers = [:]
            return (observers, inbox.commands.take())
        }
        for observer in observers {
            observer.yield(state)
            if state == .closed { observer.finish() }
        }
        return leftovers
    }

    /// A stream of states: the current one first, then every change, ending after `.closed`.
    func stateChanges() -> AsyncStream<ConnectionState> {
        let (stream, continuation) = AsyncStream<ConnectionState>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let id = makeID()
        let current = inbox.withLock { inbox in
            if inbox.state != .closed { inbox.observers[id] = continuation }
            return inbox.state
        }
        continuation.yield(current)
        if current == .closed {
            continuation.finish()
        } else {
            continuation.onTermination = { [weak self] _ in
                _ = self?.inbox.withLock { $0.observers.removeValue(forKey: id) }
            }
        }
        return stream
    }
}

extension Array {
    /// Moves the elements out, leaving the array empty.
    fileprivate mutating func take() -> [Element] {
        var taken: [Element] = []
        swap(&self, &taken)
        return taken
    }
}
