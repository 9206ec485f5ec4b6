import Foundation

/// The body of a `payment.completed` / `payment.rejected` event, as stored in the outbox and published:
/// `{"event","event_id","transaction":{"id","user_id","to_user_id","amount","status","reason","created_at"}}`
/// (`created_at` in RFC 3339 with milliseconds, UTC; amounts in cents).
public struct PaymentEvent: Sendable, Hashable, Codable {
    /// The transaction as the API shows it.
    public struct Transaction: Sendable, Hashable, Codable {
        public var id: String
        public var userID: Int64
        public var toUserID: Int64?
        public var amount: Int64
        public var status: TransactionStatus
        public var reason: RejectionReason?
        public var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, amount, status, reason
            case userID = "user_id"
            case toUserID = "to_user_id"
            case createdAt = "created_at"
        }

        public init(_ transaction: LedgerTransaction) {
            id = transaction.id
            userID = transaction.userID
            toUserID = transaction.toUserID
            amount = transaction.amount
            status = transaction.status
            reason = transaction.reason
            createdAt = LedgerTimestamp.rfc3339(transaction.createdAt)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(userID, forKey: .userID)
            try container.encode(toUserID, forKey: .toUserID)  // explicit null, as the API shows it
            try container.encode(amount, forKey: .amount)
            try container.encode(status, forKey: .status)
            try container.encode(reason, forKey: .reason)
            try container.encode(createdAt, forKey: .createdAt)
        }
    }

    /// `payment.completed` or `payment.rejected`.
    public var event: String
    /// The unique event id (see ``OutboxEvent/eventID``).
    public var eventID: String
    public var transaction: Transaction

    enum CodingKeys: String, CodingKey {
        case event, transaction
        case eventID = "event_id"
    }

    /// The event announcing a recorded transaction.
    public init(for transaction: LedgerTransaction) {
        event = Self.name(for: transaction.status)
        eventID = "\(transaction.id):\(event)"
        self.transaction = Transaction(transaction)
    }

    /// The event name for a status: `payment.completed` or `payment.rejected`.
    public static func name(for status: TransactionStatus) -> String {
        switch status {
        case .completed: "payment.completed"
        case .rejected: "payment.rejected"
        }
    }

    /// Compact JSON with sorted keys (stable bytes for the same event).
    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
