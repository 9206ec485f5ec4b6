import Testing

@testable import AMQP

@Suite("ConnectionStateMachine")
struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine
    let t0 = ContinuousClock.now
    /// No jitter: delays are exactly 100 ms, 200 ms, 400 ms, ...
    let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1), multiplier: 2, jitter: 0)

    func connectedMachine() -> Machine {
        var machine = Machine(backoff: backoff, random: FixedRandom(value: 0))
        _ = machine.start()
        _ = machine.connectSucceeded()
        return machine
    }

    @Test func startConnectsAndAnnounces() {
        var machine = Machine(backoff: backoff, random: FixedRandom(value: 0))
        #expect(machine.publicState == .connecting)
        #expect(machine.start() == .connect(attempt: 1))
        #expect(machine.connectSucceeded() == .announceConnected(generation: 1))
        #expect(machine.state == .connected(generation: 1))
        #expect(machine.publicState == .connected)
    }

    @Test func failedAttemptsBackOffExponentially() {
        var machine = Machine(backoff: backoff, random: FixedRandom(value: 0))
        _ = machine.start()
        #expect(machine.connectFailed(reason: "refused", now: t0) == .scheduleReconnect(reason: "refused", retryAt: t0.advanced(by: .milliseconds(100))))
        #expect(machine.publicState == .disconnected(reason: "refused"))
        #expect(machine.tick(now: t0.advanced(by: .milliseconds(99))) == .none)
        let t1 = t0.advanced(by: .milliseconds(100))
        #expect(machine.tick(now: t1) == .connect(attempt: 2))
        #expect(machine.publicState == .connecting)
        #expect(machine.connectFailed(reason: "refused", now: t1) == .scheduleReconnect(reason: "refused", retryAt: t1.advanced(by: .milliseconds(200))))
        let t2 = t1.advanced(by: .milliseconds(200))
        #expect(machine.tick(now: t2) == .connect(attempt: 3))
        #expect(machine.connectFailed(reason: "refused", now: t2) == .scheduleReconnect(reason: "refused", retryAt: t2.advanced(by: .milliseconds(400))))
    }

    @Test func lostConnectionReconnectsWithANewGeneration() {
        var machine = connectedMachine()
        #expect(machine.connectionLost(reason: "heartbeat", now: t0) == .scheduleReconnect(reason: "heartbeat", retryAt: t0.advanced(by: .milliseconds(100))))
        #expect(machine.tick(now: t0.advanced(by: .seconds(1))) == .connect(attempt: 1))
        #expect(machine.connectSucceeded() == .announceConnected(generation: 2))
    }

    @Test func backoffRestartsAfterASuccess() {
        var machine = Machine(backoff: backoff, random: FixedRandom(value: 0))
        _ = machine.start()
        _ = machine.connectFailed(reason: "x", now: t0)
        _ = machine.tick(now: t0.advanced(by: .seconds(1)))
        _ = machine.connectFailed(reason: "x", now: t0)
        _ = machine.tick(now: t0.advanced(by: .seconds(1)))
        _ = machine.connectSucceeded()
        #expect(machine.connectionLost(reason: "y", now: t0) == .scheduleReconnect(reason: "y", retryAt: t0.advanced(by: .milliseconds(100))))
    }

    @Test func closeWhileConnectedClosesTheConnectionThenStops() {
        var machine = connectedMachine()
        #expect(machine.closeRequested() == .closeConnection)
        #expect(machine.publicState == .closed)
        #expect(machine.closeRequested() == .none)
        #expect(machine.closeFinished() == .stop)
        #expect(machine.state == .closed)
    }

    @Test func closeWhileWaitingStopsAtOnce() {
        var machine = Machine(backoff: backoff, random: FixedRandom(value: 0))
        _ = machine.start()
        _ = machine.connectFailed(reason: "x", now: t0)
        #expect(machine.closeRequested() == .stop)
        #expect(machine.tick(now: t0.advanced(by: .seconds(9))) == .none)
    }

    @Test func closeDuringAConnectAttempt() {
        var succeeding = Machine(backoff: backoff, random: FixedRandom(value: 0))
        _ = succeeding.start()
        #expect(succeeding.closeRequested() == .none)
        #expect(succeeding.connectSucceeded() == .closeConnection)
        #expect(succeeding.closeFinished() == .stop)

        var failing = Machine(backoff: backoff, random: FixedRandom(value: 0))
        _ = failing.start()
        _ = failing.closeRequested()
        #expect(failing.connectFailed(reason: "x", now: t0) == .stop)
        #expect(failing.state == .closed)
    }

    @Test func closeBeforeStart() {
        var machine = Machine(backoff: backoff, random: FixedRandom(value: 0))
        #expect(machine.closeRequested() == .stop)
    }

    @Test(arguments: ["connectSucceeded", "connectFailed", "connectionLost", "closeFinished", "start"])
    func illegalTransitionsReachTheFailedState(event: String) {
        var machine = connectedMachine()
        _ = machine.connectionLost(reason: "x", now: t0)  // now waiting
        let action: Machine.Action =
            switch event {
            case "connectSucceeded": machine.connectSucceeded()
            case "connectFailed": machine.connectFailed(reason: "x", now: t0)
            case "connectionLost": machine.connectionLost(reason: "x", now: t0)
            case "closeFinished": machine.closeFinished()
            default: machine.start()
            }
        guard case .fail = action, case .failed = machine.state else {
            Issue.record("expected a failure, got \(action) in \(machine.state)")
            return
        }
        #expect(machine.tick(now: t0.advanced(by: .seconds(9))) == .none)
    }

    @Test func jitterComesFromTheInjectedSource() {
        let jittery = Backoff(initial: .seconds(1), maximum: .seconds(10), multiplier: 2, jitter: 1)
        var machine = Machine(backoff: jittery, random: FixedRandom(value: .max))
        _ = machine.start()
        guard case .scheduleReconnect(_, let retryAt) = machine.connectFailed(reason: "x", now: t0) else {
            Issue.record("expected a reconnect")
            return
        }
        #expect(t0.duration(to: retryAt) < .milliseconds(1))
    }
}
