/// What the broker said about a published message (publisher confirms).
public enum PublishOutcome: Sendable, Hashable {
    /// The broker acknowledged the message (`basic.ack`): it is held by every queue it routed to
    /// (on disk, for persistent messages on durable queues).
    case confirmed
    /// The broker refused responsibility for the message (`basic.nack`).
    case nacked
    /// Published with `mandatory` and routed to no queue: the broker returned it (`basic.return`,
    /// usually `312 NO_ROUTE`) before confirming it.
    case unroutable(replyCode: UInt16, replyText: String)
    /// No confirm arrived within the confirm timeout; the broker may still hold the message.
    case timedOut

    /// `true` only for ``confirmed``.
    public var isConfirmed: Bool { self == .confirmed }
}

/// The result of ``AMQPConnection/rpc(exchange:routingKey:body:properties:timeout:)``.
public enum RPCOutcome: Sendable, Hashable {
    /// The reply, matched by correlation id.
    case reply(Message)
    /// The request never reached a queue: nacked or unroutable.
    case notDelivered(PublishOutcome)
    /// No reply within the timeout (the request may have been processed all the same).
    case timedOut
}
