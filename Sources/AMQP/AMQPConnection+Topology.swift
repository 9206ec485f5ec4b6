extension AMQPConnection {
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
