import Gateway
import Synchronization

/// The `local` policy's counters: exact across every event loop of the process.
///
/// All windows of one (scope, identifier) pair live in the same stripe and are checked and
/// incremented under that stripe's lock in one step, so 200 concurrent requests against a limit of
/// 50 admit exactly 50. The lock is held only for dictionary work (never across I/O or an await),
/// and 64 stripes keep event loops from queueing behind each other.
///
/// Memory: one small entry per (scope, identifier, window). An entry whose period has ended is
/// evicted by a sweep of its stripe, at most once a second per stripe, so idle identifiers cost
/// nothing once their windows have passed. (Live entries are bounded by the identifiers seen within
/// the longest configured window: a `year` limit by IP keeps a year's worth of addresses.)
public final class LocalRateCounters: Sendable {
    static let stripeCount = 64
    static let sweepInterval: Int64 = 1000

    struct Key: Hashable {
        let scope: String
        let identifier: String
        let window: RateWindow
    }

    struct Counter {
        var period: RatePeriod
        var count: Int
    }

    struct Stripe {
        var counters: [Key: Counter] = [:]
        var nextSweep: Int64 = 0

        /// Drops every counter whose period ended at or before `now`.
        mutating func sweep(now: Int64) {
            guard now >= nextSweep else { return }
            nextSweep = now + LocalRateCounters.sweepInterval
            counters = counters.filter { $0.value.period.end > now }
        }
    }

    final class StripeBox: Sendable {
        let state = Mutex(Stripe())
    }

    private let stripes: [StripeBox] = (0..<LocalRateCounters.stripeCount).map { _ in StripeBox() }

    /// An empty store.
    public init() {}

    /// Checks the request against every limit at `now` (Unix milliseconds) and counts it in every
    /// window when all have room, atomically.
    public func acquire(scope: String, identifier: String, limits: [RateLimit], now: Int64) -> RateDecision {
        let periods = limits.map { $0.window.period(containing: now) }
        var hasher = Hasher()
        hasher.combine(scope)
        hasher.combine(identifier)
        let stripe = stripes[Int(UInt(bitPattern: hasher.finalize()) % UInt(Self.stripeCount))]
        return stripe.state.withLock { stripe in
            stripe.sweep(now: now)
            var current: [Int] = []
            current.reserveCapacity(limits.count)
            for (limit, period) in zip(limits, periods) {
                let counter = stripe.counters[Key(scope: scope, identifier: identifier, window: limit.window)]
                current.append(counter?.period == period ? counter?.count ?? 0 : 0)
            }
            let decision = RateDecision.decide(limits: limits, current: current, periods: periods)
            if decision.admitted {
                for usage in decision.windows {
                    stripe.counters[Key(scope: scope, identifier: identifier, window: usage.limit.window)] =
                        Counter(period: usage.period, count: usage.used)
                }
            }
            return decision
        }
    }

    /// Counters currently held (for tests of eviction).
    public var count: Int {
        stripes.reduce(0) { total, stripe in total + stripe.state.withLock { $0.counters.count } }
    }

    /// Runs every stripe's sweep at `now` regardless of when it last ran (tests).
    func sweepAll(now: Int64) {
        for stripe in stripes {
            stripe.state.withLock { state in
                state.nextSweep = 0
                state.sweep(now: now)
            }
        }
    }
}
