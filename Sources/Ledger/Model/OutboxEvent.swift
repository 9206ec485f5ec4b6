import Foundation

/// An event written in the same database transaction as the change it announces (the transactional
/// outbox): it exists if and only if the change committed. A publisher sends unpublished events in
/// ``id`` order and then marks them published; a crash in between sends an event again, so consumers
/// deduplicate by ``eventID`` (notifications do).
public struct OutboxEvent: Sendable, Hashable {
    /// The outbox position; increasing in commit order within one writer.
    public var id: Int64
    /// A stable, unique event id (`<transaction id>:<event>`), the consumers' deduplication key.
    public var eventID: String
    /// The event name, also the routing key: `payment.completed` or `payment.rejected`.
    public var event: String
    /// The transaction the event is about.
    public var transactionID: String
    /// The message body: the JSON of a ``PaymentEvent``.
    public var payload: String
    /// When the event was written.
    public var createdAt: Date
    /// When it was marked published; `nil` until then.
    public var publishedAt: Date?

    public init(
        id: Int64,
        eventID: String,
        event: String,
        transactionID: String,
        payload: String,
        createdAt: Date,
        publishedAt: Date?
    ) {
        self.id = id
        self.eventID = eventID
        self.event = event
        self.transactionID = transactionID
        self.payload = payload
        self.createdAt = createdAt
        self.publishedAt = publishedAt
    }
}
