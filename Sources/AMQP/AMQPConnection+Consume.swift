extension AMQPConnection {
    /// Starts consuming `queue` with manual acknowledgements, on a channel of its own.
    ///
    /// The broker sends at most `prefetch` deliveries that are not yet settled; settle each with
    /// ``Delivery/ack()``, ``Delivery/nack(requeue:)`` or ``Delivery/reject(requeue:)``. After a
    /// reconnect the consumer starts again by itself (deliveries not settled before are redelivered,
    /// flagged ``Delivery/redelivered``).
    ///
    /// When not connected, the consumer is registered and starts with the next connection.
    /// - Throws: ``AMQPError/channelClosed(code:text:)`` when the broker refuses (e.g. `404` no such
    ///   queue, `403` exclusive consumer exists).
    public func consume(
        queue: String, prefetch: UInt16 = 10, exclusive: Bool = false, arguments: [String: FieldValue] = [:]
    ) async throws -> AMQPConsumer {
        let id = core.makeID()
        let (stream, continuation) = AsyncThrowingStream<Delivery, any Error>.makeStream()
        let registration = ConsumerRegistration(
            id: id, queue: queue, prefetch: prefetch, exclusive: exclusive, arguments: arguments,
            consumerTag: "\(configuration.connectionName ?? "pasarela").\(id)", continuation: continuation)
        let core = self.core
        continuation.onTermination = { termination in
            if case .cancelled = termination { core.send(.cancelConsumer(id: id, nil), requiresConnection: false) }
        }
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            core.send(.consume(registration, done), requiresConnection: false)
        }
        return AMQPConsumer(id: id, queue: queue, stream: stream, core: core)
    }
}
