import Testing

@testable import Ledger

/// The MariaDB pool's decisions, fed events with a hand-moved clock (no server, no threads).
@Suite("MariaDB pool state")
struct MariaDBPoolStateTests {
    typealias Pool = MariaDBPoolState<Int, ContinuousClock.Instant>
    let start = ContinuousClock.now

    @Test func opensLazilyUpToTheMaximumThenQueues() {
        var pool = Pool(maximum: 2, checkAfter: .seconds(1))
        #expect(pool.acquire(waiter: 1, now: start) == .open)
        #expect(pool.acquire(waiter: 2, now: start) == .open)
        #expect(pool.acquire(waiter: 3, now: start) == .wait)
        #expect(pool.opened == 2)
        #expect(pool.waiterCount == 1)
        // A healthy release goes straight to the waiter, unchecked.
        #expect(pool.release(10, healthy: true, now: start) == [.grant(waiter: 3, .connection(10))])
        #expect(pool.release(10, healthy: true, now: start) == [])
        #expect(pool.idleCount == 1)
    }

    @Test func idleConnectionsAreCheckedAfterAWhileMostRecentFirst() {
        var pool = Pool(maximum: 2, checkAfter: .seconds(1))
        _ = pool.acquire(waiter: 1, now: start)
        _ = pool.acquire(waiter: 2, now: start)
        _ = pool.release(10, healthy: true, now: start)
        _ = pool.release(20, healthy: true, now: start + .milliseconds(900))
        #expect(pool.acquire(waiter: 3, now: start + .milliseconds(950)) == .use(20, check: false))
        #expect(pool.acquire(waiter: 4, now: start + .milliseconds(950)) == .use(10, check: false))
        _ = pool.release(10, healthy: true, now: start + .seconds(1))
        #expect(pool.acquire(waiter: 5, now: start + .seconds(2)) == .use(10, check: true))
    }

    @Test func aBrokenConnectionIsClosedAndItsPlaceReopenedForAWaiter() {
        var pool = Pool(maximum: 1, checkAfter: .seconds(1))
        #expect(pool.acquire(waiter: 1, now: start) == .open)
        #expect(pool.acquire(waiter: 2, now: start) == .wait)
        #expect(pool.release(10, healthy: false, now: start) == [.close(10), .grant(waiter: 2, .open)])
        #expect(pool.opened == 1)
        // Without waiters the place just becomes free: the next caller opens.
        #expect(pool.release(11, healthy: false, now: start) == [.close(11)])
        #expect(pool.opened == 0)
        #expect(pool.acquire(waiter: 3, now: start) == .open)
    }

    @Test func aFailedOpenPassesThePlaceOnSoEveryWaiterHearsBack() {
        var pool = Pool(maximum: 1, checkAfter: .seconds(1))
        #expect(pool.acquire(waiter: 1, now: start) == .open)
        #expect(pool.acquire(waiter: 2, now: start) == .wait)
        #expect(pool.acquire(waiter: 3, now: start) == .wait)
        #expect(pool.openFailed() == [.grant(waiter: 2, .open)])
        #expect(pool.openFailed() == [.grant(waiter: 3, .open)])
        #expect(pool.openFailed() == [])
        #expect(pool.opened == 0)
    }

    @Test func closingFailsWaitersClosesIdleAndDrainsWithTheLastRelease() {
        var pool = Pool(maximum: 2, checkAfter: .seconds(1))
        _ = pool.acquire(waiter: 1, now: start)
        _ = pool.acquire(waiter: 2, now: start)
        #expect(pool.acquire(waiter: 3, now: start) == .wait)
        #expect(pool.release(10, healthy: true, now: start) == [.grant(waiter: 3, .connection(10))])
        #expect(pool.release(20, healthy: true, now: start) == [])
        #expect(pool.acquire(waiter: 4, now: start) == .use(20, check: false))
        _ = pool.release(20, healthy: true, now: start)
        #expect(pool.acquire(waiter: 5, now: start) == .use(20, check: false))
        #expect(pool.acquire(waiter: 6, now: start) == .wait)
        let closing = pool.close()
        #expect(closing.close == [])
        #expect(closing.fail == [6])
        #expect(!closing.drained)
        #expect(pool.acquire(waiter: 7, now: start) == .fail)
        #expect(pool.release(10, healthy: true, now: start) == [.close(10)])
        #expect(pool.release(20, healthy: true, now: start) == [.close(20), .drained])
    }

    @Test func closingAnIdlePoolIsDrainedAtOnce() {
        var pool = Pool(maximum: 2, checkAfter: .seconds(1))
        _ = pool.acquire(waiter: 1, now: start)
        _ = pool.release(10, healthy: true, now: start)
        let closing = pool.close()
        #expect(closing.close == [10])
        #expect(closing.drained)
    }
}
