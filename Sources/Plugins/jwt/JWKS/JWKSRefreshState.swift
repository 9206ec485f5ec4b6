/// When a JWKS key set is fetched, as a pure state machine: the clock is passed in (seconds), and
/// every event returns what to do. ``JWKSKeySet`` runs the actions.
///
/// - The set is fetched at start, then again when the endpoint's `Cache-Control: max-age` (or the
///   default TTL) runs out, bounded to `[minimumTTL, maximumTTL]`.
/// - A token with an unknown `kid` triggers a fetch at most once per `unknownKIDInterval`.
/// - A failed fetch keeps the last good set and retries after `retryInterval`.
/// - One fetch at a time: lookups that need a fetch while one is under way wait for it.
struct JWKSRefreshState: Sendable, Equatable {
    /// Timing settings (seconds).
    struct Timing: Sendable, Equatable {
        var defaultTTL: Double = 300
        var minimumTTL: Double = 30
        var maximumTTL: Double = 86_400
        var unknownKIDInterval: Double = 10
        var retryInterval: Double = 15
    }

    /// What the key set should do.
    enum Action: Equatable {
        /// Start a fetch now.
        case fetch
        /// Wait for the fetch under way.
        case waitForFetch
        /// Nothing to do (no fetch is allowed now).
        case none
    }

    let timing: Timing
    /// A fetch is under way.
    private(set) var fetching = false
    /// When the last fetch started (nil: never).
    private(set) var lastAttempt: Double?
    /// When the set should next be fetched in the background.
    private(set) var nextRefresh: Double = 0
    /// Whether a fetch ever succeeded.
    private(set) var hasKeys = false

    init(timing: Timing = Timing()) {
        self.timing = timing
    }

    /// The background timer fired (or the set was just created).
    mutating func refreshDue(now: Double) -> Action {
        if fetching { return .none }
        guard now >= nextRefresh else { return .none }
        return startFetch(now: now)
    }

    /// A token named a `kid` the set does not have.
    mutating func unknownKey(now: Double) -> Action {
        if fetching { return .waitForFetch }
        if let lastAttempt, now - lastAttempt < timing.unknownKIDInterval { return .none }
        return startFetch(now: now)
    }

    /// The fetch returned a valid set; `maxAge` is the response's `Cache-Control: max-age`, if any.
    /// Returns when to refresh next.
    mutating func fetchSucceeded(maxAge: Double?, now: Double) -> Double {
        fetching = false
        hasKeys = true
        let ttl = min(max(maxAge ?? timing.defaultTTL, timing.minimumTTL), timing.maximumTTL)
        nextRefresh = now + ttl
        return nextRefresh
    }

    /// The fetch failed (network, status, or not a JWKS): the last good set stays. Returns when to
    /// try again.
    mutating func fetchFailed(now: Double) -> Double {
        fetching = false
        nextRefresh = now + timing.retryInterval
        return nextRefresh
    }

    private mutating func startFetch(now: Double) -> Action {
        fetching = true
        lastAttempt = now
        return .fetch
    }
}
