import Testing

@testable import AMQP

/// Always returns the same value, so jitter is predictable.
struct FixedRandom: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

@Suite("Backoff")
struct BackoffTests {
    let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5), multiplier: 2, jitter: 0.5)

    @Test(arguments: [
        (1, Duration.milliseconds(100)), (2, .milliseconds(200)), (3, .milliseconds(400)), (6, .milliseconds(3200)),
        (7, .seconds(5)), (50, .seconds(5)), (10_000, .seconds(5)),
    ])
    func growsExponentiallyUpToTheCap(attempt: Int, expected: Duration) {
        #expect(backoff.delay(attempt: attempt, unitRandom: 0) == expected)
    }

    @Test func jitterShortensByUpToItsFraction() {
        #expect(backoff.delay(attempt: 1, unitRandom: 1) == .milliseconds(50))
        #expect(backoff.delay(attempt: 3, unitRandom: 0.5) == .milliseconds(300))
        #expect(backoff.delay(attempt: 99, unitRandom: 1) == .milliseconds(2500))
    }

    @Test func injectedGeneratorDrivesTheJitter() {
        var low = FixedRandom(value: 0)
        var high = FixedRandom(value: .max)
        #expect(backoff.delay(attempt: 2, using: &low) == .milliseconds(200))
        let shortest = backoff.delay(attempt: 2, using: &high)
        #expect(shortest >= .milliseconds(100) && shortest < .milliseconds(101))
    }

    @Test func parametersAreClamped() {
        let odd = Backoff(initial: .seconds(1), maximum: .seconds(10), multiplier: 0.5, jitter: 7)
        #expect(odd.multiplier == 1)
        #expect(odd.jitter == 1)
        #expect(odd.delay(attempt: 5, unitRandom: 0) == .seconds(1))
    }
}
