/// Capped exponential backoff with jitter, for reconnect delays.
///
/// Attempt `n` (from 1) waits `min(maximum, initial × multiplier^(n−1))`, shortened by up to
/// `jitter` of itself at random, so that many clients that lost the broker together do not come
/// back together. The random source is injected, which keeps the value pure and testable.
public struct Backoff: Sendable, Hashable {
    /// Delay before the first retry, before jitter.
    public var initial: Duration
    /// Upper bound of every delay.
    public var maximum: Duration
    /// Growth factor per attempt (≥ 1).
    public var multiplier: Double
    /// Fraction of a delay that is random, 0 (none) to 1 ("full jitter").
    public var jitter: Double

    /// Creates a policy; the defaults go 0.1 s, 0.2 s, 0.4 s, ... up to 10 s, each shortened by up to 20%.
    public init(
        initial: Duration = .milliseconds(100), maximum: Duration = .seconds(10), multiplier: Double = 2,
        jitter: Double = 0.2
    ) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = max(1, multiplier)
        self.jitter = min(1, max(0, jitter))
    }

    /// The delay before attempt `attempt` (1-based), with `unitRandom` in `0..<1` choosing the jitter.
    public func delay(attempt: Int, unitRandom: Double) -> Duration {
        let initialSeconds = Self.seconds(initial)
        let maximumSeconds = Self.seconds(maximum)
        let exponent = Double(max(0, attempt - 1))
        let grown = initialSeconds * Self.power(multiplier, exponent, cap: maximumSeconds / max(initialSeconds, 1e-9))
        let capped = min(maximumSeconds, grown)
        let sample = min(max(unitRandom, 0), 1)
        let jittered = capped * (1 - jitter * sample)
        return .nanoseconds(Int64((jittered * 1e9).rounded()))
    }

    /// The delay before attempt `attempt` (1-based), drawing the jitter from `generator`.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        delay(attempt: attempt, unitRandom: Double.random(in: 0..<1, using: &generator))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `base^exponent`, stopping early once it passes `cap` (no overflow to infinity for large attempts).
    private static func power(_ base: Double, _ exponent: Double, cap: Double) -> Double {
        var result = 1.0
        var remaining = exponent
        while remaining >= 1, result <= cap {
            result *= base
            remaining -= 1
        }
        return result
    }
}
