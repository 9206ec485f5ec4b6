import Testing

@testable import Plugins

/// Kong's decision and headers, made atomic: admitted only when every window has room.
@Suite struct RateDecisionTests {
    static let now: Int64 = 1_709_214_330_250
    static func periods(_ limits: [RateLimit]) -> [RatePeriod] { limits.map { $0.window.period(containing: now) } }

    @Test func admitsAndCountsInEveryWindow() {
        let limits = [RateLimit(.second, 5), RateLimit(.hour, 100)]
        let decision = RateDecision.decide(limits: limits, current: [4, 50], periods: Self.periods(limits))
        #expect(decision.admitted)
        #expect(decision.windows.map(\.used) == [5, 51])
        #expect(decision.windows.map(\.remaining) == [0, 49])
    }

    @Test func refusesWhenAnyWindowIsFullAndCountsNothing() {
        let limits = [RateLimit(.second, 5), RateLimit(.hour, 100)]
        let decision = RateDecision.decide(limits: limits, current: [2, 100], periods: Self.periods(limits))
        #expect(!decision.admitted)
        #expect(decision.windows.map(\.used) == [2, 100])
        #expect(decision.windows.map(\.remaining) == [3, 0])
    }

    @Test func headersOfAnAdmittedRequest() {
        let limits = [RateLimit(.minute, 6), RateLimit(.hour, 100)]
        let decision = RateDecision.decide(limits: limits, current: [0, 10], periods: Self.periods(limits))
        let headers = decision.headers(now: Self.now)
        #expect(
            headers.map(\.0) == [
                "X-RateLimit-Limit-Minute", "X-RateLimit-Remaining-Minute", "X-RateLimit-Limit-Hour",
                "X-RateLimit-Remaining-Hour", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
            ]
        )
        #expect(headers.map(\.1) == ["6", "5", "100", "89", "6", "5", "30"])
    }

    @Test func refusedRequestsGetRetryAfterOfTheMostConstrainingWindow() {
        let limits = [RateLimit(.second, 1), RateLimit(.minute, 10)]
        let decision = RateDecision.decide(limits: limits, current: [1, 3], periods: Self.periods(limits))
        let headers = Dictionary(uniqueKeysWithValues: decision.headers(now: Self.now))
        #expect(headers["RateLimit-Limit"] == "1")
        #expect(headers["RateLimit-Remaining"] == "0")
        #expect(headers["RateLimit-Reset"] == "1")
        #expect(headers["Retry-After"] == "1")
        #expect(headers["X-RateLimit-Remaining-Minute"] == "7")
    }

    @Test func aTieGoesToTheLongerWindow() {
        // Both exhausted: the hour blocks longer, so it is the one reported (Kong's rule).
        let limits = [RateLimit(.second, 1), RateLimit(.hour, 1)]
        let decision = RateDecision.decide(limits: limits, current: [1, 1], periods: Self.periods(limits))
        #expect(decision.mostConstraining?.limit.window == .hour)
        let headers = Dictionary(uniqueKeysWithValues: decision.headers(now: Self.now))
        #expect(headers["Retry-After"] == "870")  // 13:45:30.25 → 14:00:00 is 869.75 s
    }
}
