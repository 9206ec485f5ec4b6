import Synchronization

/// What a worker has done since it started, for status endpoints and tests.
public final class WorkerCounters: Sendable {
    /// A consistent-enough reading of the counters.
    public struct Snapshot: Sendable, Equatable {
        /// Jobs handled and acknowledged.
        public var completed: Int
        /// Attempts that failed and were sent to the retry queue.
        public var retried: Int
        /// Jobs rejected to the dead-letter queue.
        public var deadLettered: Int
        /// Settlements that failed because the connection was lost (the broker redelivers those jobs).
        public var lostSettlements: Int
        /// Jobs being handled right now.
        public var inFlight: Int
    }

    let completed = Atomic<Int>(0)
    let retried = Atomic<Int>(0)
    let deadLettered = Atomic<Int>(0)
    let lostSettlements = Atomic<Int>(0)
    let inFlight = Atomic<Int>(0)

    init() {}

    /// The current values.
    public var snapshot: Snapshot {
        Snapshot(
            completed: completed.load(ordering: .relaxed),
            retried: retried.load(ordering: .relaxed),
            deadLettered: deadLettered.load(ordering: .relaxed),
            lostSettlements: lostSettlements.load(ordering: .relaxed),
            inFlight: inFlight.load(ordering: .relaxed)
        )
    }
}
