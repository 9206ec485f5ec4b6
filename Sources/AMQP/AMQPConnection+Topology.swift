/// What the broker holds for a queue.
public struct QueueStatus: Sendable, Hashable {
    /// Messages ready for delivery (not counting those delivered and not yet acknowledged).
    public var messages: Int
    /// Active consumers.
    public var consumers: Int

    public init(messages: Int, consumers: Int) {
        self.messages = messages
        self.consumers = consumers
    }
}

extension AMQPConnection {
    /// The queue's ready messages and consumers (a passive declare: nothing is created).
    /// - Throws: ``AMQPError/channelClosed(code:text:)`` with `404` when the queue does not exist;
    ///   ``AMQPError/notConnected`` when there is no connection.
    public func inspect(queue: String) async throws -> QueueStatus {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<QueueStatus, any Error>) in
            core.send(.inspect(queue: queue, continuation), requiresConnection: true)
        }
    }

    /// Declares exchanges, then queues, then bindings, and remembers them so that they are
    /// declared again after every reconnect.
    /// - Throws: ``AMQPError/channelClosed(code:text:)`` when the broker refuses one (for example
    ///   `406 PRECONDITION_FAILED`: a queue exists with other arguments); nothing is remembered then.
    ///   ``AMQPError/notConnected`` when there is no connection (declare at start-up with
    ///   ``AMQPConfiguration/topology`` instead, which waits for the connection).
    public func declare(_ topology: Topology) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            core.send(.declare(topology, continuation), requiresConnection: true)
        }
    }
}
