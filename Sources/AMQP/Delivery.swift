/// A message delivered to a consumer, to be settled exactly once with ``ack()``, ``nack(requeue:)``
/// or ``reject(requeue:)``. Settling is safe from any task: it is carried out by the connection's thread.
public struct Delivery: Sendable {
    /// The message.
    public let message: Message
    /// `true` when the broker delivered it before (to this or another consumer) without a settlement.
    public let redelivered: Bool
    /// The consumer it was delivered to.
    public let consumerTag: String
    let handle: DeliveryHandle
    let core: ConnectionCore

    init(message: Message, redelivered: Bool, consumerTag: String, handle: DeliveryHandle, core: ConnectionCore) {
        self.message = message
        self.redelivered = redelivered
        self.consumerTag = consumerTag
        self.handle = handle
        self.core = core
    }

    /// The body bytes.
    public var body: [UInt8] { message.body }
    /// The message properties.
    public var properties: MessageProperties { message.properties }
    /// The exchange it was published to.
    public var exchange: String { message.exchange }
    /// The routing key it was published with.
    public var routingKey: String { message.routingKey }
    /// The broker's number for it on its channel.
    public var deliveryTag: UInt64 { handle.deliveryTag }

    /// Acknowledges it: the broker forgets the message.
    /// - Throws: ``AMQPError/staleDelivery`` when its channel or connection is gone (the broker
    ///   redelivers it) or it was settled already.
    public func ack() async throws { try await settle(.ack) }

    /// Negatively acknowledges it: requeued when `requeue`, else dead-lettered (or dropped).
    public func nack(requeue: Bool = true) async throws { try await settle(.nack(requeue: requeue)) }

    /// Rejects it: dead-lettered (or dropped) unless `requeue`.
    public func reject(requeue: Bool = false) async throws { try await settle(.reject(requeue: requeue)) }

    private func settle(_ settlement: Settlement) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            core.send(.settle(handle, settlement, continuation), requiresConnection: false)
        }
    }
}
