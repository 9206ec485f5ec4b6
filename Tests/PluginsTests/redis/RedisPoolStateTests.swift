import NIOCore
import Testing

@testable import Plugins

/// The per-loop pool's decisions, with the clock passed in.
@Suite struct RedisPoolStateTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func slotsTakeTurnsAndConnectLazily() {
        var pool = RedisPoolState(size: 2)
        #expect(pool.nextAction(now: start) == .connect(0))
        #expect(pool.nextAction(now: start) == .connect(1))
        #expect(pool.nextAction(now: start) == .wait(0))
        pool.connected(0)
        #expect(pool.nextAction(now: start) == .wait(1))
        pool.connected(1)
        #expect(pool.nextAction(now: start) == .use(0))
        #expect(pool.nextAction(now: start) == .use(1))
        pool.closed(0)
        #expect(pool.nextAction(now: start) == .connect(0))
    }

    @Test func afterAFailedAttemptCommandsFailFastForASecond() {
        var pool = RedisPoolState(size: 1)
        #expect(pool.nextAction(now: start) == .connect(0))
        pool.connectFailed(0, now: start)
        #expect(pool.nextAction(now: start + .milliseconds(10)) == .failFast)
        #expect(pool.nextAction(now: start + .milliseconds(999)) == .failFast)
        #expect(pool.nextAction(now: start + .seconds(1)) == .connect(0))
    }

    @Test func whileBackingOffAnOpenConnectionStillServes() {
        var pool = RedisPoolState(size: 2)
        _ = pool.nextAction(now: start)  // connect 0
        _ = pool.nextAction(now: start)  // connect 1
        pool.connected(0)
        pool.connectFailed(1, now: start)
        #expect(pool.nextAction(now: start) == .use(0))
        #expect(pool.nextAction(now: start) == .use(0))  // slot 1 is empty and backing off: use 0
    }
}
