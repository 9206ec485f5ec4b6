import CRabbitMQ

/// Channel-level calls. Synchronous ones block until the broker answers (bounded by the RPC
/// timeout); a broker refusal throws ``AMQPError/channelClosed(code:text:)`` after the channel
/// was closed properly, anything else marks the connection unusable.
extension RabbitConnection {
    func openChannel(_ channel: UInt16) throws(AMQPError) {
        try flush()
        _ = amqp_channel_open(state, channel)
        try checkReply("channel.open", channel: channel)
    }

    func closeChannel(_ channel: UInt16) throws(AMQPError) {
        try flush()
        let reply = amqp_channel_close(state, channel, AMQP_REPLY_SUCCESS)
        if let error = RabbitError.error(from: reply, "channel.close") {
            if reply.reply_type != AMQP_RESPONSE_SERVER_EXCEPTION || reply.reply.id != PASARELA_CHANNEL_CLOSE {
                try checkStatus(AMQP_STATUS_CONNECTION_CLOSED.rawValue, "\(error)")
            }
        }
    }

    func enableConfirms(_ channel: UInt16) throws(AMQPError) {
        try flush()
        _ = amqp_confirm_select(state, channel)
        try checkReply("confirm.select", channel: channel)
    }

    func setPrefetch(_ channel: UInt16, count: UInt16) throws(AMQPError) {
        try flush()
        _ = amqp_basic_qos(state, channel, 0, count, 0)
        try checkReply("basic.qos", channel: channel)
    }

    func declare(_ exchange: ExchangeDeclaration, channel: UInt16) throws(AMQPError) {
        try flush()
        defer { arena.reset() }
        _ = amqp_exchange_declare(
            state,
            channel,
            arena.bytes(exchange.name),
            arena.bytes(exchange.type.rawValue),
            0,
            exchange.durable ? 1 : 0,
            exchange.autoDelete ? 1 : 0,
            exchange.internal ? 1 : 0,
            FieldTableCodec.encode(exchange.arguments, in: arena)
        )
        try checkReply("exchange.declare \(exchange.name)", channel: channel)
    }

    func declare(_ queue: QueueDeclaration, channel: UInt16) throws(AMQPError) {
        try flush()
        defer { arena.reset() }
        _ = amqp_queue_declare(
            state,
            channel,
            arena.bytes(queue.name),
            0,
            queue.durable ? 1 : 0,
            queue.exclusive ? 1 : 0,
            queue.autoDelete ? 1 : 0,
            FieldTableCodec.encode(queue.arguments, in: arena)
        )
        try checkReply("queue.declare \(queue.name)", channel: channel)
    }

    /// A passive declare: what the broker holds for `queue`, without creating or changing it.
    func inspect(_ queue: String, channel: UInt16) throws(AMQPError) -> QueueStatus {
        try flush()
        defer { arena.reset() }
        let ok = amqp_queue_declare(state, channel, arena.bytes(queue), 1, 0, 0, 0, amqp_empty_table)
        try checkReply("queue.declare (passive) \(queue)", channel: channel)
        guard let ok else { throw .library("queue.declare (passive) \(queue): no reply") }
        return QueueStatus(messages: Int(ok.pointee.message_count), consumers: Int(ok.pointee.consumer_count))
    }

    func bind(_ binding: QueueBinding, channel: UInt16) throws(AMQPError) {
        try flush()
        defer { arena.reset() }
        _ = amqp_queue_bind(
            state,
            channel,
            arena.bytes(binding.queue),
            arena.bytes(binding.exchange),
            arena.bytes(binding.routingKey),
            FieldTableCodec.encode(binding.arguments, in: arena)
        )
        try checkReply("queue.bind \(binding.queue) to \(binding.exchange)", channel: channel)
    }

    /// Starts a consumer; returns the consumer tag the broker confirmed.
    func consume(
        _ queue: String,
        channel: UInt16,
        consumerTag: String,
        noAck: Bool,
        exclusive: Bool,
        arguments: [String: FieldValue]
    ) throws(AMQPError) -> String {
        try flush()
        defer { arena.reset() }
        let ok = amqp_basic_consume(
            state,
            channel,
            arena.bytes(queue),
            arena.bytes(consumerTag),
            0,
            noAck ? 1 : 0,
            exclusive ? 1 : 0,
            FieldTableCodec.encode(arguments, in: arena)
        )
        try checkReply("basic.consume \(queue)", channel: channel)
        return ok?.pointee.consumer_tag.string ?? consumerTag
    }

    func cancel(consumerTag: String, channel: UInt16) throws(AMQPError) {
        try flush()
        defer { arena.reset() }
        _ = amqp_basic_cancel(state, channel, arena.bytes(consumerTag))
        try checkReply("basic.cancel \(consumerTag)", channel: channel)
    }

    /// Sends `basic.publish` with its header and body frames (no waiting for the broker). On
    /// plain TCP the frames are buffered until ``flush()``. An encoding failure (properties too
    /// large) throws with the connection still open.
    func publish(
        channel: UInt16,
        exchange: String,
        routingKey: String,
        mandatory: Bool,
        properties: MessageProperties,
        body: [UInt8]
    ) throws(AMQPError) {
        defer { arena.reset() }
        var cProperties = PropertiesCodec.encode(properties, in: arena)
        let exchangeBytes = arena.bytes(exchange)
        let routingKeyBytes = arena.bytes(routingKey)
        if let publishBuffer {
            var method = amqp_basic_publish_t(
                ticket: 0,
                exchange: exchangeBytes,
                routing_key: routingKeyBytes,
                mandatory: mandatory ? 1 : 0,
                immediate: 0
            )
            let frameMax = self.frameMax
            let failure = body.withUnsafeBytes { raw -> AMQPError? in
                do throws(AMQPError) {
                    try publishBuffer.append(
                        channel: channel,
                        publish: &method,
                        properties: &cProperties,
                        body: raw,
                        frameMax: frameMax
                    )
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
            if publishBuffer.count >= PublishBuffer.flushThreshold { try flush() }
            return
        }
        let status = body.withUnsafeBytes { raw in
            amqp_basic_publish(
                state,
                channel,
                exchangeBytes,
                routingKeyBytes,
                mandatory ? 1 : 0,
                0,
                &cProperties,
                amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress))
            )
        }
        try checkStatus(status, "basic.publish")
    }

    func ack(channel: UInt16, deliveryTag: UInt64) throws(AMQPError) {
        try flush()
        try checkStatus(amqp_basic_ack(state, channel, deliveryTag, 0), "basic.ack")
    }

    func nack(channel: UInt16, deliveryTag: UInt64, requeue: Bool) throws(AMQPError) {
        try flush()
        try checkStatus(amqp_basic_nack(state, channel, deliveryTag, 0, requeue ? 1 : 0), "basic.nack")
    }

    func reject(channel: UInt16, deliveryTag: UInt64, requeue: Bool) throws(AMQPError) {
        try flush()
        try checkStatus(amqp_basic_reject(state, channel, deliveryTag, requeue ? 1 : 0), "basic.reject")
    }
}
