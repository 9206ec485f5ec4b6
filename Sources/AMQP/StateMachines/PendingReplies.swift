/// RPC calls waiting for their reply, keyed by correlation id, each with a deadline. A pure value.
struct PendingReplies<Waiter> {
    typealias Instant = ContinuousClock.Instant

    private var waiters: [String: (waiter: Waiter, deadline: Instant)] = [:]
    /// No deadline among the waiters is earlier than this (a lower bound, refreshed by `expire`).
    private(set) var earliestDeadline: Instant?

    /// How many calls are waiting.
    var count: Int { waiters.count }

    /// Whether a call with this correlation id is waiting.
    func contains(_ correlationID: String) -> Bool { waiters[correlationID] != nil }

    /// Registers a call; `false` if the correlation id is already taken.
    mutating func register(_ correlationID: String, waiter: Waiter, deadline: Instant) -> Bool {
        guard waiters[correlationID] == nil else { return false }
        waiters[correlationID] = (waiter, deadline)
        if earliestDeadline.map({ deadline < $0 }) ?? true { earliestDeadline = deadline }
        return true
    }

    /// Takes the waiter of `correlationID` (a reply arrived, or the request failed); `nil` if none waits.
    mutating func resolve(_ correlationID: String) -> Waiter? {
        waiters.removeValue(forKey: correlationID)?.waiter
    }

    /// Takes every waiter whose deadline is not after `now`.
    mutating func expire(now: Instant) -> [Waiter] {
        guard let earliest = earliestDeadline, earliest <= now else { return [] }
        var expired: [Waiter] = []
        var nextEarliest: Instant?
        for (id, entry) in waiters {
            if entry.deadline <= now {
                waiters[id] = nil
                expired.append(entry.waiter)
            } else if nextEarliest.map({ entry.deadline < $0 }) ?? true {
                nextEarliest = entry.deadline
            }
        }
        earliestDeadline = nextEarliest
        return expired
    }

    /// Takes every waiter (the channel or connection is gone).
    mutating func removeAll() -> [Waiter] {
        let all = waiters.values.map(\.waiter)
        waiters = [:]
        earliestDeadline = nil
        return all
    }
}
