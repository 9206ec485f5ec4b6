import CRabbitMQ
import Foundation

extension RabbitConnection {
    /// The next frame already received, without blocking; `nil` when there is none. Also sends a
    /// heartbeat when one is due and fails when the broker's heartbeats stopped.
    func nextFrame() throws(AMQPError) -> IncomingFrame? {
        try flush()
        var frame = amqp_frame_t()
        var noWait = timeval(tv_sec: 0, tv_usec: 0)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &noWait)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        try checkStatus(status, "receive")
        switch Int32(frame.frame_type) {
        case AMQP_FRAME_METHOD:
            return .method(channel: frame.channel, Self.decode(frame.payload.method))
        case AMQP_FRAME_HEADER:
            let header = frame.payload.properties
            let properties = header.decoded.map {
                PropertiesCodec.decode($0.assumingMemoryBound(to: amqp_basic_properties_t.self).pointee)
            }
            return .header(channel: frame.channel, properties: properties ?? MessageProperties(), bodySize: header.body_size)
        case AMQP_FRAME_BODY:
            return .body(channel: frame.channel, frame.payload.body_fragment.array)
        default:
            return try nextFrame()
        }
    }

    private static func decode(_ method: amqp_method_t) -> BrokerMethod {
        guard let decoded = method.decoded else { return .other(method.id) }
        func read<T>(_ type: T.Type) -> T { decoded.assumingMemoryBound(to: T.self).pointee }
        switch method.id {
        case PASARELA_BASIC_ACK:
            let ack = read(amqp_basic_ack_t.self)
            return .basicAck(deliveryTag: ack.delivery_tag, multiple: ack.multiple != 0)
        case PASARELA_BASIC_NACK:
            let nack = read(amqp_basic_nack_t.self)
            return .basicNack(deliveryTag: nack.delivery_tag, multiple: nack.multiple != 0)
        case PASARELA_BASIC_RETURN:
            let returned = read(amqp_basic_return_t.self)
            return .basicReturn(
                replyCode: returned.reply_code, replyText: returned.reply_text.string,
                exchange: returned.exchange.string, routingKey: returned.routing_key.string)
        case PASARELA_BASIC_DELIVER:
            let deliver = read(amqp_basic_deliver_t.self)
            return .basicDeliver(
                consumerTag: deliver.consumer_tag.string, deliveryTag: deliver.delivery_tag,
                redelivered: deliver.redelivered != 0, exchange: deliver.exchange.string,
                routingKey: deliver.routing_key.string)
        case PASARELA_BASIC_CANCEL:
            return .basicCancel(consumerTag: read(amqp_basic_cancel_t.self).consumer_tag.string)
        case PASARELA_CHANNEL_CLOSE:
            let close = read(amqp_channel_close_t.self)
            return .channelClose(replyCode: close.reply_code, replyText: close.reply_text.string)
        case PASARELA_CONNECTION_CLOSE:
            let close = read(amqp_connection_close_t.self)
            return .connectionClose(replyCode: close.reply_code, replyText: close.reply_text.string)
        case PASARELA_CONNECTION_BLOCKED:
            return .connectionBlocked(reason: read(amqp_connection_blocked_t.self).reason.string)
        case PASARELA_CONNECTION_UNBLOCKED:
            return .connectionUnblocked
        default:
            return .other(method.id)
        }
    }
}
