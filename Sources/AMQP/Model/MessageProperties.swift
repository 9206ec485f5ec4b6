import Foundation

/// The `basic` properties of a message. `nil` (or an empty `headers`) means "not set".
public struct MessageProperties: Sendable, Hashable {
    /// MIME type of the body, e.g. `application/json`.
    public var contentType: String?
    /// Content encoding of the body, e.g. `gzip`.
    public var contentEncoding: String?
    /// Application headers.
    public var headers: [String: FieldValue]
    /// Transient (1) or persistent (2); persistent messages on durable queues survive a broker restart.
    public var deliveryMode: DeliveryMode?
    /// Priority, 0–9 on priority queues.
    public var priority: UInt8?
    /// Correlates a reply with its request.
    public var correlationID: String?
    /// Where to send a reply (a queue name, or `amq.rabbitmq.reply-to…` for direct reply-to).
    public var replyTo: String?
    /// Per-message TTL in milliseconds, as a decimal string (AMQP's representation).
    public var expiration: String?
    /// Application message id (Pasarela: the job id).
    public var messageID: String?
    /// Creation time, to the second.
    public var timestamp: Date?
    /// Application message type.
    public var type: String?
    /// Publishing user; RabbitMQ checks it against the connection's user.
    public var userID: String?
    /// Publishing application.
    public var appID: String?

    /// Creates properties; every field defaults to "not set".
    public init(
        contentType: String? = nil, contentEncoding: String? = nil, headers: [String: FieldValue] = [:],
        deliveryMode: DeliveryMode? = nil, priority: UInt8? = nil, correlationID: String? = nil,
        replyTo: String? = nil, expiration: String? = nil, messageID: String? = nil, timestamp: Date? = nil,
        type: String? = nil, userID: String? = nil, appID: String? = nil
    ) {
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.headers = headers
        self.deliveryMode = deliveryMode
        self.priority = priority
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.expiration = expiration
        self.messageID = messageID
        self.timestamp = timestamp
        self.type = type
        self.userID = userID
        self.appID = appID
    }
}

/// AMQP `delivery_mode`.
public enum DeliveryMode: UInt8, Sendable, Hashable {
    /// Kept in memory only (1).
    case transient = 1
    /// Written to disk on durable queues (2).
    case persistent = 2
}
