/// Errors of the AMQP client. Each case says whether the broker may hold the message.
public enum AMQPError: Error, Sendable, Hashable {
    /// The URL could not be parsed; the text says why.
    case invalidURL(String)
    /// There is no connection to the broker right now; nothing was sent. Callers answer 503.
    case notConnected
    /// The connection dropped while the operation was in flight: the broker may or may not have it.
    case connectionLost(String)
    /// The connection was closed with ``AMQPConnection/close()``.
    case closed
    /// The broker closed the channel (for example `404 NOT_FOUND` for a missing exchange or queue,
    /// `406 PRECONDITION_FAILED` for a declaration that conflicts with an existing one).
    case channelClosed(code: UInt16, text: String)
    /// rabbitmq-c reported an error (socket, protocol, authentication, ...).
    case library(String)
    /// The broker broke the protocol (for example acknowledged a delivery tag never published).
    case protocolViolation(String)
    /// The delivery belongs to a channel or connection that is gone, or was already settled; the
    /// broker has requeued it (or will), so it will be delivered again.
    case staleDelivery
    /// The broker cancelled the consumer (its queue was deleted, or it could not be started again
    /// after a reconnect). The consumer's sequence ends with this error.
    case consumerCancelled(queue: String)
    /// A message cannot be replied to because it has no `reply_to` property.
    case noReplyTo
}

extension AMQPError: CustomStringConvertible {
    /// A one-line explanation, safe for logs.
    public var description: String {
        switch self {
        case .invalidURL(let why): "invalid AMQP URL: \(why)"
        case .notConnected: "not connected to the AMQP broker"
        case .connectionLost(let why): "AMQP connection lost: \(why)"
        case .closed: "AMQP connection closed"
        case .channelClosed(let code, let text): "AMQP channel closed by the broker: \(code) \(text)"
        case .library(let why): "AMQP client error: \(why)"
        case .protocolViolation(let why): "AMQP protocol violation: \(why)"
        case .staleDelivery: "the delivery's channel is gone or it was already settled"
        case .consumerCancelled(let queue): "the broker cancelled the consumer of queue \(queue)"
        case .noReplyTo: "the message has no reply_to"
        }
    }
}
