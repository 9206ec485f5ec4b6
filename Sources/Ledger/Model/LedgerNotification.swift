import Foundation

/// A notification stored for a payment event:
/// `{"id","user_id","event","transaction_id","message","created_at"}`.
public struct LedgerNotification: Sendable, Hashable {
    public var id: Int64
    /// The event it was made for; at most one notification per event id.
    public var eventID: String
    /// Whom it is for.
    public var userID: Int64
    /// The event name (`payment.completed`, ...).
    public var event: String
    /// The transaction the event was about, if any.
    public var transactionID: String?
    /// The text shown to the user.
    public var message: String
    public var createdAt: Date

    public init(
        id: Int64,
        eventID: String,
        userID: Int64,
        event: String,
        transactionID: String?,
        message: String,
        createdAt: Date
    ) {
        self.id = id
        self.eventID = eventID
        self.userID = userID
        self.event = event
        self.transactionID = transactionID
        self.message = message
        self.createdAt = createdAt
    }
}

/// A notification to store for an event.
public struct NewNotification: Sendable, Hashable {
    /// The event's unique id; a second notification for the same id is not stored.
    public var eventID: String
    public var userID: Int64
    public var event: String
    public var transactionID: String?
    public var message: String

    public init(eventID: String, userID: Int64, event: String, transactionID: String?, message: String) {
        self.eventID = eventID
        self.userID = userID
        self.event = event
        self.transactionID = transactionID
        self.message = message
    }
}

/// What storing a notification did.
public struct NotificationInsert: Sendable, Hashable {
    /// The stored notification: the new one, or the one stored earlier for the same event id.
    public var notification: LedgerNotification
    /// `false` when the event id was already stored (a redelivered event): nothing was written.
    public var inserted: Bool

    public init(notification: LedgerNotification, inserted: Bool) {
        self.notification = notification
        self.inserted = inserted
    }
}
