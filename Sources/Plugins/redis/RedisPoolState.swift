import NIOCore

/// The connection slots of one event loop's Redis pool, as a value: which slot a command uses, when
/// to open a connection, and when to fail fast because Redis was just found unreachable. No I/O; the
/// clock is passed in.
struct RedisPoolState {
    enum Slot: Equatable {
        /// No connection.
        case empty
        /// A connection attempt is under way.
        case connecting
        /// A connection is open and takes commands (pipelined).
        case ready
    }

    /// What to do with the next command.
    enum Action: Equatable {
        /// Send it on the open connection in this slot.
        case use(Int)
        /// Send it once this slot's connection attempt succeeds.
        case wait(Int)
        /// Start a connection attempt in this slot, then send it.
        case connect(Int)
        /// Fail it now: a connection attempt failed less than ``retryDelay`` ago.
        case failFast
    }

    /// How long after a failed connection attempt commands fail without trying again (so that a
    /// down Redis costs each request nothing, and a `fault_tolerant` plugin stays fast).
    static let retryDelay = TimeAmount.seconds(1)

    private(set) var slots: [Slot]
    private var next = 0
    private var retryAt: NIODeadline?

    /// A pool of `size` slots (at least one).
    init(size: Int) {
        slots = Array(repeating: .empty, count: max(1, size))
    }

    /// Picks the slot for the next command: slots take turns, so open connections share the load.
    mutating func nextAction(now: NIODeadline) -> Action {
        let chosen = next
        next = (next + 1) % slots.count
        switch slots[chosen] {
        case .ready: return .use(chosen)
        case .connecting: return .wait(chosen)
        case .empty:
            if let retryAt, now < retryAt {
                if let ready = slots.firstIndex(of: .ready) { return .use(ready) }
                if let connecting = slots.firstIndex(of: .connecting) { return .wait(connecting) }
                return .failFast
            }
            slots[chosen] = .connecting
            return .connect(chosen)
        }
    }

    /// The attempt in `slot` succeeded.
    mutating func connected(_ slot: Int) {
        slots[slot] = .ready
        retryAt = nil
    }

    /// The attempt in `slot` failed: fail fast until `now + retryDelay`.
    mutating func connectFailed(_ slot: Int, now: NIODeadline) {
        slots[slot] = .empty
        retryAt = now + Self.retryDelay
    }

    /// The connection in `slot` closed.
    mutating func closed(_ slot: Int) {
        slots[slot] = .empty
    }
}
