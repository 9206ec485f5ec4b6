/// The configured limit of one window.
public struct RateLimit: Sendable, Hashable {
    /// The window.
    public let window: RateWindow
    /// Requests allowed per period.
    public let limit: Int

    /// A limit of `limit` requests per `window`.
    public init(_ window: RateWindow, _ limit: Int) {
        self.window = window
        self.limit = limit
    }
}

/// One window's state after a request was checked.
public struct WindowUsage: Sendable, Hashable {
    /// The window and its limit.
    public let limit: RateLimit
    /// Requests counted in the current period (including this one when it was admitted).
    public let used: Int
    /// The current period.
    public let period: RatePeriod

    /// Requests left in the period (never negative).
    public var remaining: Int { max(0, limit.limit - used) }
}

/// The outcome of checking (and, when admitted, counting) one request against every window at once.
///
/// Kong reads the counters, decides, then increments in a timer, so concurrent requests all see the
/// same count and all pass. Here the check and the increment are one step (under a lock locally, one
/// Lua script in Redis): a request is admitted only when every window has room, and then counts in
/// every window; a refused request counts nowhere.
public struct RateDecision: Sendable, Hashable {
    /// Whether the request may proceed.
    public let admitted: Bool
    /// Every configured window, shortest first.
    public let windows: [WindowUsage]

    /// Decides from the counts before this request (`current[i]` for `limits[i]`).
    public static func decide(limits: [RateLimit], current: [Int], periods: [RatePeriod]) -> RateDecision {
        let admitted = zip(limits, current).allSatisfy { $1 < $0.limit }
        let windows = limits.indices.map { index in
            WindowUsage(limit: limits[index], used: current[index] + (admitted ? 1 : 0), period: periods[index])
        }
        return RateDecision(admitted: admitted, windows: windows)
    }

    /// A decision whose counts are already final (as the Redis script returns them).
    public init(admitted: Bool, windows: [WindowUsage]) {
        self.admitted = admitted
        self.windows = windows
    }

    /// Kong's most constraining window (for `RateLimit-*`): the fewest requests remaining; on a tie,
    /// the longer window.
    public var mostConstraining: WindowUsage? {
        windows.min { lhs, rhs in
            lhs.remaining != rhs.remaining ? lhs.remaining < rhs.remaining : lhs.limit.window > rhs.limit.window
        }
    }

    /// Kong's client headers: `X-RateLimit-Limit-<Window>` and `X-RateLimit-Remaining-<Window>` per
    /// window; `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds) for the most
    /// constraining one; `Retry-After` (the same seconds) when the request is refused.
    public func headers(now: Int64) -> [(String, String)] {
        var headers: [(String, String)] = []
        headers.reserveCapacity(windows.count * 2 + 4)
        for usage in windows {
            headers.append(("X-RateLimit-Limit-\(usage.limit.window.headerSuffix)", String(usage.limit.limit)))
            headers.append(("X-RateLimit-Remaining-\(usage.limit.window.headerSuffix)", String(usage.remaining)))
        }
        if let constraining = mostConstraining {
            let reset = String(constraining.period.secondsUntilEnd(from: now))
            headers.append(("RateLimit-Limit", String(constraining.limit.limit)))
            headers.append(("RateLimit-Remaining", String(constraining.remaining)))
            headers.append(("RateLimit-Reset", reset))
            if !admitted { headers.append(("Retry-After", reset)) }
        }
        return headers
    }
}
