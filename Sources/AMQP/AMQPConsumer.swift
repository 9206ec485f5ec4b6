/// The deliveries of one consumer, in order. Ends when the consumer is cancelled or the connection
/// closed; ends with ``AMQPError/consumerCancelled(queue:)`` when the broker cancels it.
public struct AMQPConsumer: AsyncSequence, Sendable {
    /// Each element is one delivery, to be settled.
    public typealias Element = Delivery
    /// The sequence ends with an error when the broker cancels the consumer.
    public typealias Failure = any Error

    let id: UInt64
    /// The queue consumed.
    public let queue: String
    let stream: AsyncThrowingStream<Delivery, any Error>
    let core: ConnectionCore

    /// Iterates the deliveries; iterate once (the deliveries are not replayed to a second iterator).
    public func makeAsyncIterator() -> AsyncThrowingStream<Delivery, any Error>.AsyncIterator {
        stream.makeAsyncIterator()
    }

    /// Stops the consumer (`basic.cancel`); the sequence ends. Deliveries already received can
    /// still be settled; the channel closes once they are.
    public func cancel() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            core.send(.cancelConsumer(id: id, continuation), requiresConnection: false)
        }
    }
}
