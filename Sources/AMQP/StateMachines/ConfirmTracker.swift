/// Publisher-confirm bookkeeping for one channel in confirm mode: a pure value, no I/O.
///
/// The broker numbers the messages published on a confirm channel 1, 2, 3, ... (delivery tags)
/// and answers each with `basic.ack` or `basic.nack`, possibly covering every tag up to one
/// (`multiple`). Mandatory messages that route nowhere come back first as `basic.return` (which
/// carries no tag), then are acknowledged; such a message settles as ``PublishOutcome/unroutable(replyCode:replyText:)``.
/// A return is matched to the oldest unsettled mandatory publish with the same exchange, routing key
/// and identity (message id, else correlation id), since the broker handles a channel's publishes in order.
struct ConfirmTracker<Token> {
    typealias Instant = ContinuousClock.Instant

    /// What a publish waits on.
    struct Entry {
        var token: Token
        var deadline: Instant
        var mandatory: Bool
        var exchange: String
        var routingKey: String
        var identity: String?
        var returned: (code: UInt16, text: String)?
    }

    /// A publish that has its answer.
    struct Settled {
        var token: Token
        var outcome: PublishOutcome
    }

    /// The broker answered something that was never published: the channel is out of step.
    struct Violation: Error, Hashable {
        var message: String
    }

    /// The tag the next publish gets.
    private(set) var nextTag: UInt64 = 1
    private var pending: [UInt64: Entry] = [:]
    /// Every tag below this one is settled.
    private var oldestUnsettled: UInt64 = 1
    /// No deadline among pending entries is earlier than this (a lower bound, refreshed by `expire`).
    private(set) var earliestDeadline: Instant?

    /// How many publishes await their confirm.
    var inFlight: Int { pending.count }

    /// Records a publish about to be sent and returns its delivery tag.
    mutating func willPublish(
        _ token: Token, deadline: Instant, mandatory: Bool, exchange: String, routingKey: String, identity: String?
    ) -> UInt64 {
        let tag = nextTag
        nextTag += 1
        pending[tag] = Entry(
            token: token, deadline: deadline, mandatory: mandatory, exchange: exchange, routingKey: routingKey,
            identity: identity)
        if earliestDeadline.map({ deadline < $0 }) ?? true { earliestDeadline = deadline }
        return tag
    }

    /// `basic.ack`: settles `tag`, or every tag up to it when `multiple`.
    mutating func acknowledged(_ tag: UInt64, multiple: Bool) throws(Violation) -> [Settled] {
        try settle(tag, multiple: multiple) { entry in
            entry.returned.map { .unroutable(replyCode: $0.code, replyText: $0.text) } ?? .confirmed
        }
    }

    /// `basic.nack`: the broker refused `tag` (or every tag up to it).
    mutating func negativelyAcknowledged(_ tag: UInt64, multiple: Bool) throws(Violation) -> [Settled] {
        try settle(tag, multiple: multiple) { _ in .nacked }
    }

    /// `basic.return`: marks the oldest matching unsettled mandatory publish as unroutable.
    /// Returns `false` when none matches (for example it already timed out).
    mutating func returned(
        exchange: String, routingKey: String, identity: String?, replyCode: UInt16, replyText: String
    ) -> Bool {
        var tag = oldestUnsettled
        while tag < nextTag {
            if let entry = pending[tag], entry.mandatory, entry.returned == nil, entry.exchange == exchange,
                entry.routingKey == routingKey, entry.identity == identity
            {
                pending[tag]?.returned = (replyCode, replyText)
                return true
            }
            tag += 1
        }
        return false
    }

    /// Settles as ``PublishOutcome/timedOut`` every publish whose deadline is not after `now`;
    /// a confirm arriving later for them is ignored.
    mutating func expire(now: Instant) -> [Settled] {
        guard let earliest = earliestDeadline, earliest <= now else { return [] }
        var settled: [Settled] = []
        var nextEarliest: Instant?
        for (tag, entry) in pending {
            if entry.deadline <= now {
                pending[tag] = nil
                settled.append(Settled(token: entry.token, outcome: .timedOut))
            } else if nextEarliest.map({ entry.deadline < $0 }) ?? true {
                nextEarliest = entry.deadline
            }
        }
        earliestDeadline = nextEarliest
        advanceOldest()
        return settled
    }

    /// The channel or connection is gone: hands back every waiting token, oldest first, and starts
    /// again at tag 1 (a reopened channel numbers from 1).
    mutating func reset() -> [Token] {
        let tokens = pending.sorted { $0.key < $1.key }.map(\.value.token)
        self = ConfirmTracker()
        return tokens
    }

    private mutating func settle(
        _ tag: UInt64, multiple: Bool, outcome: (Entry) -> PublishOutcome
    ) throws(Violation) -> [Settled] {
        guard tag < nextTag, tag > 0 || multiple else {
            throw Violation(message: "confirm for delivery tag \(tag), but the last published is \(nextTag - 1)")
        }
        // `multiple` with tag 0 means "everything outstanding" (AMQP 0-9-1, basic.ack).
        let tag = multiple && tag == 0 ? nextTag - 1 : tag
        var settled: [Settled] = []
        if multiple {
            var current = oldestUnsettled
            while current <= tag {
                if let entry = pending.removeValue(forKey: current) {
                    settled.append(Settled(token: entry.token, outcome: outcome(entry)))
                }
                current += 1
            }
        } else if let entry = pending.removeValue(forKey: tag) {
            settled.append(Settled(token: entry.token, outcome: outcome(entry)))
        }
        advanceOldest()
        return settled
    }

    private mutating func advanceOldest() {
        if pending.isEmpty {
            oldestUnsettled = nextTag
            earliestDeadline = nil
            return
        }
        while oldestUnsettled < nextTag, pending[oldestUnsettled] == nil {
            oldestUnsettled += 1
        }
    }
}
