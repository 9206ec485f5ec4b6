/// Bringing a session up: channels, topology, consumers.
extension ConnectionLoop {
    /// Opens the publish and control channels, declares the topology and starts the consumers.
    /// Refused declarations are logged; a consumer that cannot start ends with an error.
    func setUp(_ session: Session) throws(AMQPError) {
        try openPublishChannel(session)
        for item in topology.items {
            do {
                try declare(item, in: session)
            } catch  where session.connection.isOpen {
                logger.warning("AMQP declaration refused", metadata: ["amqp.error": "\(error)"])
            }
        }
        for registration in consumers.values.sorted(by: { $0.id < $1.id }) {
            do {
                try startConsumer(registration, in: session)
            } catch  where session.connection.isOpen {
                logger.warning("AMQP consumer of \(registration.queue) could not restart", metadata: ["amqp.error": "\(error)"])
                consumers[registration.id] = nil
                registration.continuation.finish(throwing: AMQPError.consumerCancelled(queue: registration.queue))
            }
        }
    }

    /// Channel 1 in confirm mode, consuming direct replies.
    func openPublishChannel(_ session: Session) throws(AMQPError) {
        let connection = session.connection
        try connection.openChannel(Session.publishChannel)
        try connection.enableConfirms(Session.publishChannel)
        _ = try connection.consume(
            Session.directReplyTo,
            channel: Session.publishChannel,
            consumerTag: Session.replyConsumerTag,
            noAck: true,
            exclusive: false,
            arguments: [:]
        )
    }

    /// Declares one item on the control channel, opening it first if a refusal closed it.
    func declare(_ item: Topology.Item, in session: Session) throws(AMQPError) {
        let connection = session.connection
        if !session.controlChannelOpen {
            try connection.openChannel(Session.controlChannel)
            session.controlChannelOpen = true
        }
        do {
            switch item {
            case .exchange(let exchange): try connection.declare(exchange, channel: Session.controlChannel)
            case .queue(let queue): try connection.declare(queue, channel: Session.controlChannel)
            case .binding(let binding): try connection.bind(binding, channel: Session.controlChannel)
            }
        } catch {
            session.controlChannelOpen = false
            throw error
        }
    }

    /// A passive `queue.declare` on the control channel: the queue's counts, or 404 when it does not exist.
    func inspect(_ queue: String, in session: Session) throws(AMQPError) -> QueueStatus {
        let connection = session.connection
        if !session.controlChannelOpen {
            try connection.openChannel(Session.controlChannel)
            session.controlChannelOpen = true
        }
        do {
            return try connection.inspect(queue, channel: Session.controlChannel)
        } catch {
            session.controlChannelOpen = false
            throw error
        }
    }

    /// Opens a channel for `registration`, sets its prefetch and starts consuming.
    func startConsumer(_ registration: ConsumerRegistration, in session: Session) throws(AMQPError) {
        let connection = session.connection
        let channel = session.allocateChannel()
        do {
            try connection.openChannel(channel)
            try connection.setPrefetch(channel, count: registration.prefetch)
            _ = try connection.consume(
                registration.queue,
                channel: channel,
                consumerTag: registration.consumerTag,
                noAck: false,
                exclusive: registration.exclusive,
                arguments: registration.arguments
            )
        } catch {
            session.releaseChannel(channel)
            throw error
        }
        session.consumerOnChannel[channel] = registration.id
        session.channelOfConsumer[registration.id] = channel
        session.epochs[channel, default: 0] += 1
        session.unsettled[channel] = []
    }

    /// Closes a cancelled consumer's channel once nothing on it awaits settlement.
    func closeIfDrained(_ channel: UInt16, in session: Session) throws(AMQPError) {
        guard session.draining.contains(channel), session.unsettled[channel]?.isEmpty ?? true else { return }
        try session.connection.closeChannel(channel)
        session.releaseChannel(channel)
    }
}

extension Topology {
    /// One declaration.
    enum Item {
        case exchange(ExchangeDeclaration)
        case queue(QueueDeclaration)
        case binding(QueueBinding)
    }

    /// Everything to declare, in order: exchanges, queues, bindings.
    var items: [Item] {
        exchanges.map(Item.exchange) + queues.map(Item.queue) + bindings.map(Item.binding)
    }
}
