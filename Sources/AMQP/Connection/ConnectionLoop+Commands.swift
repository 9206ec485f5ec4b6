/// Running what callers asked for.
extension ConnectionLoop {
    func perform(_ command: Command) {
        guard let session, case .connected = machine.state else {
            performWhileDisconnected(command)
            return
        }
        do {
            try perform(command, in: session)
        } catch {
            connectionFailed(error)
        }
    }

    /// Runs `command` on the live session. Each branch resumes its caller (or leaves it waiting on
    /// a confirm or reply); only connection-level errors are thrown.
    private func perform(_ command: Command, in session: Session) throws(AMQPError) {
        let connection = session.connection
        switch command {
        case .publish(let request, let completion):
            do {
                try send(request, properties: request.properties, on: connection)
            } catch {
                completion(.failure(connection.isOpen ? error : .connectionLost("\(error)")))
                if !connection.isOpen { throw error }
                return
            }
            _ = session.confirms.willPublish(
                .publish(completion),
                deadline: ContinuousClock.now.advanced(by: request.timeout),
                mandatory: request.mandatory,
                exchange: request.exchange,
                routingKey: request.routingKey,
                identity: request.identity
            )

        case .rpc(let request, let correlationID, let continuation):
            let deadline = ContinuousClock.now.advanced(by: request.timeout)
            guard !session.replies.contains(correlationID) else {
                continuation.resume(throwing: AMQPError.library("correlation id \(correlationID) is already waiting"))
                return
            }
            var properties = request.properties
            properties.replyTo = Session.directReplyTo
            properties.correlationID = correlationID
            do {
                try send(request, properties: properties, on: connection)
            } catch {
                continuation.resume(throwing: connection.isOpen ? error : .connectionLost("\(error)"))
                if !connection.isOpen { throw error }
                return
            }
            _ = session.replies.register(correlationID, waiter: continuation, deadline: deadline)
            _ = session.confirms.willPublish(
                .rpc(correlationID: correlationID),
                deadline: deadline,
                mandatory: request.mandatory,
                exchange: request.exchange,
                routingKey: request.routingKey,
                identity: properties.messageID ?? correlationID
            )

        case .declare(let declared, let continuation):
            do {
                for item in declared.items { try declare(item, in: session) }
            } catch {
                continuation.resume(throwing: error)
                if !connection.isOpen { throw error }
                return
            }
            topology.merge(declared)
            continuation.resume()

        case .inspect(let queue, let continuation):
            do {
                continuation.resume(returning: try inspect(queue, in: session))
            } catch {
                continuation.resume(throwing: error)
                if !connection.isOpen { throw error }
            }

        case .consume(let registration, let continuation):
            do {
                try startConsumer(registration, in: session)
            } catch {
                registration.continuation.finish(throwing: error)
                continuation.resume(throwing: error)
                if !connection.isOpen { throw error }
                return
            }
            consumers[registration.id] = registration
            continuation.resume()

        case .cancelConsumer(let id, let continuation):
            defer { continuation?.resume() }
            guard let registration = consumers.removeValue(forKey: id) else { return }
            registration.continuation.finish()
            guard let channel = session.channelOfConsumer[id] else { return }
            do {
                try connection.cancel(consumerTag: registration.consumerTag, channel: channel)
            } catch  where connection.isOpen {
                session.releaseChannel(channel)
                return
            }
            session.draining.insert(channel)
            try closeIfDrained(channel, in: session)

        case .settle(let handle, let settlement, let continuation):
            guard handle.generation == session.generation, session.epochs[handle.channel] == handle.epoch,
                session.unsettled[handle.channel]?.remove(handle.deliveryTag) != nil
            else {
                continuation.resume(throwing: AMQPError.staleDelivery)
                return
            }
            do {
                switch settlement {
                case .ack: try connection.ack(channel: handle.channel, deliveryTag: handle.deliveryTag)
                case .nack(let requeue):
                    try connection.nack(channel: handle.channel, deliveryTag: handle.deliveryTag, requeue: requeue)
                case .reject(let requeue):
                    try connection.reject(channel: handle.channel, deliveryTag: handle.deliveryTag, requeue: requeue)
                }
            } catch {
                continuation.resume(throwing: AMQPError.connectionLost("\(error)"))
                throw error
            }
            continuation.resume()
            try closeIfDrained(handle.channel, in: session)

        case .close(let continuation):
            if let continuation { closeWaiters.append(continuation) }
            execute(machine.closeRequested())
        }
    }

    private func send(_ request: PublishRequest, properties: MessageProperties, on connection: RabbitConnection) throws(AMQPError)
    {
        try connection.publish(
            channel: Session.publishChannel,
            exchange: request.exchange,
            routingKey: request.routingKey,
            mandatory: request.mandatory,
            properties: properties,
            body: request.body
        )
    }

    /// Without a connection: publishes and declarations fail fast, consumers wait for the next
    /// connection, settlements are stale (the broker requeued those deliveries).
    private func performWhileDisconnected(_ command: Command) {
        let closing: Bool
        switch machine.state {
        case .closing, .closed, .failed: closing = true
        case .idle, .connecting, .connected, .waiting: closing = false
        }
        switch command {
        case .close(let continuation):
            if closing {
                continuation?.resume()
            } else {
                if let continuation { closeWaiters.append(continuation) }
                execute(machine.closeRequested())
            }
        case .consume(let registration, let continuation) where !closing:
            consumers[registration.id] = registration
            continuation.resume()
        case .cancelConsumer(let id, let continuation):
            consumers.removeValue(forKey: id)?.continuation.finish()
            continuation?.resume()
        case .settle(_, _, let continuation) where !closing:
            continuation.resume(throwing: AMQPError.staleDelivery)
        default:
            command.fail(closing ? .closed : .notConnected)
        }
    }
}
