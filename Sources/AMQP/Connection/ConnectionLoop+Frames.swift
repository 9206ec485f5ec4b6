/// What the broker sends on its own: confirms, returns, deliveries, cancels and closes.
extension ConnectionLoop {
    func handle(_ frame: IncomingFrame, in session: Session) throws(AMQPError) {
        switch frame {
        case .method(let channel, let method):
            try handle(method, channel: channel, in: session)
        case .header(let channel, let properties, let bodySize):
            let completed: ContentAssembler<Session.ContentMethod>.Completed?
            do {
                completed = try session.assemblers[channel, default: ContentAssembler()].header(properties, bodySize: bodySize)
            } catch {
                throw .protocolViolation("channel \(channel): \(error.message)")
            }
            if let completed { try complete(completed, channel: channel, in: session) }
        case .body(let channel, let fragment):
            let completed: ContentAssembler<Session.ContentMethod>.Completed?
            do {
                completed = try session.assemblers[channel, default: ContentAssembler()].body(fragment)
            } catch {
                throw .protocolViolation("channel \(channel): \(error.message)")
            }
            if let completed { try complete(completed, channel: channel, in: session) }
        }
    }

    private func handle(_ method: BrokerMethod, channel: UInt16, in session: Session) throws(AMQPError) {
        switch method {
        case .basicAck(let tag, let multiple) where channel == Session.publishChannel:
            do {
                resolve(try session.confirms.acknowledged(tag, multiple: multiple), in: session)
            } catch {
                throw .protocolViolation(error.message)
            }
        case .basicNack(let tag, let multiple) where channel == Session.publishChannel:
            do {
                resolve(try session.confirms.negativelyAcknowledged(tag, multiple: multiple), in: session)
            } catch {
                throw .protocolViolation(error.message)
            }
        case .basicReturn(let code, let text, let exchange, let routingKey):
            try begin(.returned(replyCode: code, replyText: text, exchange: exchange, routingKey: routingKey), channel, session)
        case .basicDeliver(let consumerTag, let deliveryTag, let redelivered, let exchange, let routingKey):
            try begin(
                .delivered(
                    consumerTag: consumerTag,
                    deliveryTag: deliveryTag,
                    redelivered: redelivered,
                    exchange: exchange,
                    routingKey: routingKey
                ),
                channel,
                session
            )
        case .basicCancel:
            try consumerCancelledByBroker(channel: channel, in: session)
        case .channelClose(let code, let text):
            try channelClosedByBroker(channel, code: code, text: text, in: session)
        case .connectionClose(let code, let text):
            session.connection.sendConnectionCloseOk()
            throw .connectionLost("the broker closed the connection: \(code) \(text)")
        case .connectionBlocked(let reason):
            logger.warning("AMQP broker blocked publishing", metadata: ["amqp.reason": "\(reason)"])
        case .connectionUnblocked:
            logger.info("AMQP broker unblocked publishing")
        case .basicAck, .basicNack, .other:
            break
        }
    }

    private func begin(_ method: Session.ContentMethod, _ channel: UInt16, _ session: Session) throws(AMQPError) {
        do {
            try session.assemblers[channel, default: ContentAssembler()].begin(method)
        } catch {
            throw .protocolViolation("channel \(channel): \(error.message)")
        }
    }

    private func complete(
        _ completed: ContentAssembler<Session.ContentMethod>.Completed,
        channel: UInt16,
        in session: Session
    ) throws(AMQPError) {
        let properties = completed.properties
        switch completed.method {
        case .returned(let code, let text, let exchange, let routingKey):
            _ = session.confirms.returned(
                exchange: exchange,
                routingKey: routingKey,
                identity: properties.messageID ?? properties.correlationID,
                replyCode: code,
                replyText: text
            )
        case .delivered(let consumerTag, let deliveryTag, let redelivered, let exchange, let routingKey):
            let message = Message(body: completed.body, properties: properties, exchange: exchange, routingKey: routingKey)
            if channel == Session.publishChannel {
                guard let correlationID = properties.correlationID, let waiter = session.replies.resolve(correlationID) else {
                    logger.debug(
                        "AMQP reply for no waiting call",
                        metadata: ["amqp.correlation_id": "\(properties.correlationID ?? "")"]
                    )
                    return
                }
                waiter.resume(returning: .reply(message))
                return
            }
            guard let id = session.consumerOnChannel[channel], let registration = consumers[id] else {
                // A delivery that crossed our basic.cancel: give it back for another consumer.
                try session.connection.reject(channel: channel, deliveryTag: deliveryTag, requeue: true)
                return
            }
            session.unsettled[channel, default: []].insert(deliveryTag)
            let handle = DeliveryHandle(
                generation: session.generation,
                channel: channel,
                epoch: session.epochs[channel] ?? 0,
                deliveryTag: deliveryTag
            )
            registration.continuation.yield(
                Delivery(message: message, redelivered: redelivered, consumerTag: consumerTag, handle: handle, core: core)
            )
        }
    }

    private func consumerCancelledByBroker(channel: UInt16, in session: Session) throws(AMQPError) {
        guard let id = session.consumerOnChannel[channel] else { return }
        if let registration = consumers.removeValue(forKey: id) {
            logger.warning("AMQP broker cancelled the consumer of \(registration.queue)")
            registration.continuation.finish(throwing: AMQPError.consumerCancelled(queue: registration.queue))
        }
        session.draining.insert(channel)
        try closeIfDrained(channel, in: session)
    }

    private func channelClosedByBroker(_ channel: UInt16, code: UInt16, text: String, in session: Session) throws(AMQPError) {
        try session.connection.sendChannelCloseOk(channel)
        logger.warning("AMQP broker closed channel \(channel): \(code) \(text)")
        session.assemblers[channel] = nil
        let error = AMQPError.channelClosed(code: code, text: text)
        switch channel {
        case Session.publishChannel:
            for token in session.confirms.reset() {
                if case .publish(let completion) = token { completion(.failure(error)) }
            }
            for waiter in session.replies.removeAll() { waiter.resume(throwing: error) }
            do {
                try openPublishChannel(session)
            } catch {
                throw .connectionLost("cannot reopen the publish channel: \(error)")
            }
        case Session.controlChannel:
            session.controlChannelOpen = false
        default:
            let consumer = session.consumerOnChannel[channel]
            session.releaseChannel(channel)
            guard let id = consumer, let registration = consumers[id] else { return }
            do {
                try startConsumer(registration, in: session)
            } catch  where session.connection.isOpen {
                consumers[id] = nil
                registration.continuation.finish(throwing: error)
            }
        }
    }
}
