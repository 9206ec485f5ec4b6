import CRabbitMQ

/// Reading rabbitmq-c's error reports.
enum RabbitError {
    /// The text of a rabbitmq-c status code.
    static func text(_ status: Int32) -> String {
        guard let message = amqp_error_string2(status) else { return "status \(status)" }
        return String(cString: message)
    }

    /// Checks the status of a non-RPC call (publish, ack, send).
    static func check(_ status: Int32, _ what: String) throws(AMQPError) {
        guard status == AMQP_STATUS_OK.rawValue else { throw .library("\(what): \(text(status))") }
    }

    /// Turns a non-normal RPC reply into an error. A `channel.close` from the broker becomes
    /// ``AMQPError/channelClosed(code:text:)`` (the caller must answer it with `close-ok`);
    /// anything else means the connection is unusable.
    static func error(from reply: amqp_rpc_reply_t, _ what: String) -> AMQPError? {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return nil
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            return .library("\(what): \(text(reply.library_error))")
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            switch reply.reply.id {
            case PASARELA_CHANNEL_CLOSE:
                guard let close = reply.reply.decoded?.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                else { return .channelClosed(code: 0, text: what) }
                return .channelClosed(code: close.reply_code, text: close.reply_text.string)
            case PASARELA_CONNECTION_CLOSE:
                guard let close = reply.reply.decoded?.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                else { return .library("\(what): connection closed by the broker") }
                return .library("\(what): connection closed by the broker: \(close.reply_code) \(close.reply_text.string)")
            default:
                return .library("\(what): unexpected method \(reply.reply.id)")
            }
        default:
            return .library("\(what): no reply")
        }
    }
}
