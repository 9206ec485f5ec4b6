/// A frame from the broker, copied out of rabbitmq-c into Swift values.
enum IncomingFrame {
    /// A method frame.
    case method(channel: UInt16, BrokerMethod)
    /// A content header: the properties and body size of the message whose method came before.
    case header(channel: UInt16, properties: MessageProperties, bodySize: UInt64)
    /// A piece of a message body.
    case body(channel: UInt16, [UInt8])
}

/// The methods a broker sends on its own initiative (replies to synchronous requests are consumed
/// inside rabbitmq-c's RPC calls and never appear here).
enum BrokerMethod {
    /// Publisher confirm: `deliveryTag` (and every earlier one when `multiple`) is safe.
    case basicAck(deliveryTag: UInt64, multiple: Bool)
    /// Publisher confirm: the broker refuses `deliveryTag` (and earlier ones when `multiple`).
    case basicNack(deliveryTag: UInt64, multiple: Bool)
    /// A mandatory message routed nowhere; its content follows.
    case basicReturn(replyCode: UInt16, replyText: String, exchange: String, routingKey: String)
    /// A message for a consumer; its content follows.
    case basicDeliver(
        consumerTag: String, deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String)
    /// The broker cancelled a consumer (its queue was deleted, or the node holding it went away).
    case basicCancel(consumerTag: String)
    /// The broker closes the channel because of an error.
    case channelClose(replyCode: UInt16, replyText: String)
    /// The broker closes the connection.
    case connectionClose(replyCode: UInt16, replyText: String)
    /// The broker stopped reading publishes (resource alarm).
    case connectionBlocked(reason: String)
    /// The resource alarm is over.
    case connectionUnblocked
    /// Anything else, by method number.
    case other(UInt32)
}
