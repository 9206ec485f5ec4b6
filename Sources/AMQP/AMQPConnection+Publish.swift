import Foundation

extension AMQPConnection {
    /// Publishes a message and waits for the broker's confirm.
    ///
    /// Many publishes, from any number of tasks, are in flight at once on the connection's one
    /// confirm channel; the broker's acks (often covering many messages) settle them by delivery tag.
    /// - Parameters:
    ///   - exchange: Target exchange; `""` is the default exchange (routing key = queue name).
    ///   - mandatory: Have the broker return the message when no queue takes it; it then settles
    ///     as ``PublishOutcome/unroutable(replyCode:replyText:)`` instead of ``PublishOutcome/confirmed``.
    ///   - confirmTimeout: How long to wait for the confirm (default: the configuration's).
    /// - Returns: What the broker said; only ``PublishOutcome/confirmed`` means it holds the message.
    /// - Throws: ``AMQPError/notConnected`` at once when there is no connection (answer 503);
    ///   ``AMQPError/connectionLost(_:)`` or ``AMQPError/channelClosed(code:text:)`` when the
    ///   connection or channel went away with the message in flight (it may or may not have arrived).
    public func publish(
        exchange: String,
        routingKey: String,
        body: [UInt8],
        properties: MessageProperties = MessageProperties(),
        mandatory: Bool = false,
        confirmTimeout: Duration? = nil
    ) async throws -> PublishOutcome {
        try await withCheckedThrowingContinuation { continuation in
            publish(
                exchange: exchange,
                routingKey: routingKey,
                body: body,
                properties: properties,
                mandatory: mandatory,
                confirmTimeout: confirmTimeout
            ) { continuation.resume(with: $0) }
        }
    }

    /// ``publish(exchange:routingKey:body:properties:mandatory:confirmTimeout:)`` for callers that are
    /// not async (an event loop): `completion` runs once on the connection's thread, with the outcome
    /// or the error (at once with ``AMQPError/notConnected`` when there is no connection). It must
    /// return quickly, e.g. by completing a promise.
    public func publish(
        exchange: String,
        routingKey: String,
        body: [UInt8],
        properties: MessageProperties = MessageProperties(),
        mandatory: Bool = false,
        confirmTimeout: Duration? = nil,
        completion: @escaping PublishCompletion
    ) {
        let pending = PendingPublish(
            exchange: exchange,
            routingKey: routingKey,
            body: body,
            properties: properties,
            mandatory: mandatory,
            confirmTimeout: confirmTimeout,
            completion: completion
        )
        core.send(command(for: pending), requiresConnection: true)
    }

    /// A publish handed over with others in ``publish(_:)``.
    public struct PendingPublish: Sendable {
        public var exchange: String
        public var routingKey: String
        public var body: [UInt8]
        public var properties: MessageProperties
        public var mandatory: Bool
        public var confirmTimeout: Duration?
        public var completion: PublishCompletion

        /// A message and where its outcome goes (see ``AMQPConnection/publish(exchange:routingKey:body:properties:mandatory:confirmTimeout:completion:)``).
        public init(
            exchange: String,
            routingKey: String,
            body: [UInt8],
            properties: MessageProperties = MessageProperties(),
            mandatory: Bool = false,
            confirmTimeout: Duration? = nil,
            completion: @escaping PublishCompletion
        ) {
            self.exchange = exchange
            self.routingKey = routingKey
            self.body = body
            self.properties = properties
            self.mandatory = mandatory
            self.confirmTimeout = confirmTimeout
            self.completion = completion
        }
    }

    /// Publishes several messages as one hand-over to the connection's thread: one lock and at most
    /// one wake-up for all of them, so that they leave in as few TCP segments as possible (the broker
    /// then reads, and confirms, more messages at a time). Each completion runs as with
    /// ``publish(exchange:routingKey:body:properties:mandatory:confirmTimeout:completion:)``.
    public func publish(_ batch: [PendingPublish]) {
        let (refused, reason) = core.submit(contentsOf: batch.map(command(for:)), requiresConnection: true)
        if let reason { for command in refused { command.fail(reason) } }
    }

    /// The thread's command for a publish (the configuration's confirm timeout unless it names one).
    private func command(for pending: PendingPublish) -> Command {
        let request = PublishRequest(
            exchange: pending.exchange,
            routingKey: pending.routingKey,
            body: pending.body,
            properties: pending.properties,
            mandatory: pending.mandatory,
            timeout: pending.confirmTimeout ?? configuration.confirmTimeout
        )
        return .publish(request, pending.completion)
    }

    /// Publishes a reply to `request`'s `reply_to` (a queue, or a direct reply-to address) through
    /// the default exchange, with `request`'s correlation id unless `properties` sets one.
    /// - Throws: ``AMQPError/noReplyTo`` when the request has no `reply_to`; as ``publish(exchange:routingKey:body:properties:mandatory:confirmTimeout:)`` otherwise.
    public func reply(
        to request: Message,
        body: [UInt8],
        properties: MessageProperties = MessageProperties(),
        confirmTimeout: Duration? = nil
    ) async throws -> PublishOutcome {
        guard let replyTo = request.properties.replyTo, !replyTo.isEmpty else { throw AMQPError.noReplyTo }
        var properties = properties
        if properties.correlationID == nil { properties.correlationID = request.properties.correlationID }
        return try await publish(
            exchange: "",
            routingKey: replyTo,
            body: body,
            properties: properties,
            confirmTimeout: confirmTimeout
        )
    }

    /// Sends a request and waits for its reply over RabbitMQ's direct reply-to
    /// (`amq.rabbitmq.reply-to`): no reply queue is declared, the reply comes straight back on
    /// this connection, matched by correlation id (a fresh UUID unless `properties` sets one).
    /// The request is published `mandatory`, so a request no queue takes fails at once.
    /// - Parameter timeout: How long to wait for the reply, confirm included.
    /// - Throws: as ``publish(exchange:routingKey:body:properties:mandatory:confirmTimeout:)``.
    public func rpc(
        exchange: String,
        routingKey: String,
        body: [UInt8],
        properties: MessageProperties = MessageProperties(),
        timeout: Duration
    ) async throws -> RPCOutcome {
        let correlationID = properties.correlationID ?? UUID().uuidString
        let request = PublishRequest(
            exchange: exchange,
            routingKey: routingKey,
            body: body,
            properties: properties,
            mandatory: true,
            timeout: timeout
        )
        return try await withCheckedThrowingContinuation { continuation in
            core.send(.rpc(request, correlationID: correlationID, continuation), requiresConnection: true)
        }
    }
}
