import Testing

@testable import Plugins

/// The local counter store: exact under concurrency, windows roll over, ended windows are evicted.
@Suite struct LocalRateCountersTests {
    static let now: Int64 = 1_709_214_330_250

    @Test func exactUnderConcurrency() async {
        let counters = LocalRateCounters()
        let limits = [RateLimit(.minute, 50), RateLimit(.hour, 1000)]
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    counters.acquire(scope: "s", identifier: "client", limits: limits, now: Self.now).admitted
                }
            }
            var count = 0
            for await result in group where result { count += 1 }
            return count
        }
        #expect(admitted == 50)
        let after = counters.acquire(scope: "s", identifier: "client", limits: limits, now: Self.now)
        #expect(!after.admitted)
        #expect(after.windows.map(\.used) == [50, 50])
    }

    @Test func identifiersAndScopesCountApart() {
        let counters = LocalRateCounters()
        let limits = [RateLimit(.minute, 1)]
        #expect(counters.acquire(scope: "a", identifier: "x", limits: limits, now: Self.now).admitted)
        #expect(!counters.acquire(scope: "a", identifier: "x", limits: limits, now: Self.now).admitted)
        #expect(counters.acquire(scope: "a", identifier: "y", limits: limits, now: Self.now).admitted)
        #expect(counters.acquire(scope: "b", identifier: "x", limits: limits, now: Self.now).admitted)
    }

    @Test func aNewPeriodStartsFromZero() {
        let counters = LocalRateCounters()
        let limits = [RateLimit(.second, 2), RateLimit(.minute, 3)]
        let second = RateWindow.second.period(containing: Self.now)
        #expect(counters.acquire(scope: "s", identifier: "c", limits: limits, now: Self.now).admitted)
        #expect(counters.acquire(scope: "s", identifier: "c", limits: limits, now: Self.now).admitted)
        #expect(!counters.acquire(scope: "s", identifier: "c", limits: limits, now: Self.now).admitted)
        let next = counters.acquire(scope: "s", identifier: "c", limits: limits, now: second.end)
        #expect(next.admitted)
        #expect(next.windows.map(\.used) == [1, 3])
        // The minute is now full even though the new second has room.
        #expect(!counters.acquire(scope: "s", identifier: "c", limits: limits, now: second.end + 1).admitted)
    }

    @Test func endedWindowsAreEvicted() {
        let counters = LocalRateCounters()
        let limits = [RateLimit(.second, 10), RateLimit(.minute, 100)]
        for client in 0..<500 {
            _ = counters.acquire(scope: "s", identifier: "client-\(client)", limits: limits, now: Self.now)
        }
        #expect(counters.count == 1000)
        let minute = RateWindow.minute.period(containing: Self.now)
        counters.sweepAll(now: RateWindow.second.period(containing: Self.now).end)
        #expect(counters.count == 500)  // the seconds ended, the minutes did not
        counters.sweepAll(now: minute.end)
        #expect(counters.count == 0)
    }

    @Test func refusedRequestsDoNotCount() {
        let counters = LocalRateCounters()
        let limits = [RateLimit(.second, 1), RateLimit(.hour, 5)]
        let second = RateWindow.second.period(containing: Self.now)
        _ = counters.acquire(scope: "s", identifier: "c", limits: limits, now: Self.now)
        for _ in 0..<10 { _ = counters.acquire(scope: "s", identifier: "c", limits: limits, now: Self.now) }
        let later = counters.acquire(scope: "s", identifier: "c", limits: limits, now: second.end)
        #expect(later.windows.map(\.used) == [1, 2])
    }
}
