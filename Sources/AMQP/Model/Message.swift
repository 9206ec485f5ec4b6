/// A message as received: body, properties and where the broker routed it from.
public struct Message: Sendable, Hashable {
    /// The body bytes.
    public var body: [UInt8]
    /// The message properties.
    public var properties: MessageProperties
    /// The exchange it was published to (`""` for the default exchange).
    public var exchange: String
    /// The routing key it was published with.
    public var routingKey: String

    /// Creates a message value.
    public init(body: [UInt8], properties: MessageProperties, exchange: String, routingKey: String) {
        self.body = body
        self.properties = properties
        self.exchange = exchange
        self.routingKey = routingKey
    }
}
