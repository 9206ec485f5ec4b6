import Testing

@testable import AMQP

@Suite("ConfirmTracker")
struct ConfirmTrackerTests {
    let t0 = ContinuousClock.now
    var deadline: ContinuousClock.Instant { t0.advanced(by: .seconds(5)) }

    /// Publishes `count` messages with tokens 1...count.
    func tracker(publishing count: Int, mandatory: Bool = false) -> ConfirmTracker<Int> {
        var tracker = ConfirmTracker<Int>()
        for token in 1...count {
            _ = tracker.willPublish(
                token, deadline: deadline, mandatory: mandatory, exchange: "x", routingKey: "k", identity: "id\(token)")
        }
        return tracker
    }

    /// A `basic.return` for exchange "x", key "k" (outside `#expect`, which cannot take a mutating call).
    func noRoute(_ tracker: inout ConfirmTracker<Int>, identity: String?, text: String) -> Bool {
        tracker.returned(exchange: "x", routingKey: "k", identity: identity, replyCode: 312, replyText: text)
    }

    func outcomes(_ settled: [ConfirmTracker<Int>.Settled]) -> [Int: PublishOutcome] {
        Dictionary(uniqueKeysWithValues: settled.map { ($0.token, $0.outcome) })
    }

    @Test func tagsCountFromOne() {
        var tracker = ConfirmTracker<Int>()
        let tags = (0..<3).map { _ in
            tracker.willPublish(0, deadline: deadline, mandatory: false, exchange: "", routingKey: "", identity: nil)
        }
        #expect(tags == [1, 2, 3])
        #expect(tracker.inFlight == 3)
    }

    @Test func singleAckSettlesOnlyItsTag() throws {
        var tracker = tracker(publishing: 3)
        #expect(outcomes(try tracker.acknowledged(2, multiple: false)) == [2: .confirmed])
        #expect(tracker.inFlight == 2)
        #expect(try tracker.acknowledged(2, multiple: false).isEmpty)
    }

    @Test func multipleAckSettlesEverythingUpToTheTag() throws {
        var tracker = tracker(publishing: 5)
        _ = try tracker.acknowledged(2, multiple: false)
        #expect(outcomes(try tracker.acknowledged(4, multiple: true)) == [1: .confirmed, 3: .confirmed, 4: .confirmed])
        #expect(tracker.inFlight == 1)
        #expect(outcomes(try tracker.acknowledged(5, multiple: true)) == [5: .confirmed])
        #expect(tracker.inFlight == 0)
    }

    @Test func multipleWithTagZeroSettlesEverything() throws {
        var tracker = tracker(publishing: 3)
        #expect(try tracker.acknowledged(0, multiple: true).count == 3)
    }

    @Test func nacksSingleAndMultiple() throws {
        var tracker = tracker(publishing: 4)
        #expect(outcomes(try tracker.negativelyAcknowledged(3, multiple: false)) == [3: .nacked])
        #expect(outcomes(try tracker.negativelyAcknowledged(4, multiple: true)) == [1: .nacked, 2: .nacked, 4: .nacked])
    }

    @Test func returnBeforeAckMakesItUnroutable() throws {
        var tracker = tracker(publishing: 3, mandatory: true)
        #expect(noRoute(&tracker, identity: "id2", text: "NO_ROUTE"))
        let settled = outcomes(try tracker.acknowledged(3, multiple: true))
        #expect(settled == [1: .confirmed, 2: .unroutable(replyCode: 312, replyText: "NO_ROUTE"), 3: .confirmed])
    }

    @Test func returnMatchesTheOldestMatchingMandatoryPublish() throws {
        var tracker = ConfirmTracker<Int>()
        _ = tracker.willPublish(1, deadline: deadline, mandatory: false, exchange: "x", routingKey: "k", identity: nil)
        _ = tracker.willPublish(2, deadline: deadline, mandatory: true, exchange: "x", routingKey: "other", identity: nil)
        _ = tracker.willPublish(3, deadline: deadline, mandatory: true, exchange: "x", routingKey: "k", identity: nil)
        _ = tracker.willPublish(4, deadline: deadline, mandatory: true, exchange: "x", routingKey: "k", identity: nil)
        #expect(noRoute(&tracker, identity: nil, text: "NO_ROUTE"))
        #expect(noRoute(&tracker, identity: nil, text: "NO_ROUTE"))
        #expect(!noRoute(&tracker, identity: nil, text: "NO_ROUTE"))
        let settled = outcomes(try tracker.acknowledged(4, multiple: true))
        #expect(settled[1] == .confirmed)
        #expect(settled[2] == .confirmed)
        #expect(settled[3] == .unroutable(replyCode: 312, replyText: "NO_ROUTE"))
        #expect(settled[4] == .unroutable(replyCode: 312, replyText: "NO_ROUTE"))
    }

    @Test func returnWithUnknownIdentityMatchesNothing() {
        var tracker = tracker(publishing: 2, mandatory: true)
        #expect(!noRoute(&tracker, identity: "nope", text: ""))
    }

    @Test func timeoutsSettleAndLateAcksAreIgnored() throws {
        var tracker = ConfirmTracker<Int>()
        _ = tracker.willPublish(1, deadline: t0.advanced(by: .seconds(1)), mandatory: false, exchange: "", routingKey: "", identity: nil)
        _ = tracker.willPublish(2, deadline: t0.advanced(by: .seconds(3)), mandatory: false, exchange: "", routingKey: "", identity: nil)
        #expect(tracker.expire(now: t0).isEmpty)
        #expect(tracker.earliestDeadline == t0.advanced(by: .seconds(1)))
        #expect(outcomes(tracker.expire(now: t0.advanced(by: .seconds(2)))) == [1: .timedOut])
        #expect(tracker.earliestDeadline == t0.advanced(by: .seconds(3)))
        #expect(outcomes(try tracker.acknowledged(2, multiple: true)) == [2: .confirmed])
        #expect(tracker.earliestDeadline == nil)
    }

    @Test func ackForATagNeverPublishedIsAViolation() {
        var tracker = tracker(publishing: 2)
        #expect(throws: ConfirmTracker<Int>.Violation.self) { try tracker.acknowledged(3, multiple: false) }
        #expect(throws: ConfirmTracker<Int>.Violation.self) { try tracker.negativelyAcknowledged(0, multiple: false) }
    }

    @Test func resetHandsBackTokensInOrderAndRestartsTags() throws {
        var tracker = tracker(publishing: 4)
        _ = try tracker.acknowledged(2, multiple: false)
        #expect(tracker.reset() == [1, 3, 4])
        #expect(tracker.inFlight == 0)
        #expect(tracker.willPublish(9, deadline: deadline, mandatory: false, exchange: "", routingKey: "", identity: nil) == 1)
    }

    @Test func manyInFlightWithInterleavedAcks() throws {
        var tracker = tracker(publishing: 1000)
        var confirmed = 0
        for tag in stride(from: 10, through: 1000, by: 10) {
            confirmed += try tracker.acknowledged(UInt64(tag), multiple: false).count
        }
        #expect(confirmed == 100)
        confirmed += try tracker.acknowledged(500, multiple: true).count
        #expect(confirmed == 100 + 450)
        confirmed += try tracker.acknowledged(1000, multiple: true).count
        #expect(confirmed == 1000)
        #expect(tracker.inFlight == 0)
    }
}
