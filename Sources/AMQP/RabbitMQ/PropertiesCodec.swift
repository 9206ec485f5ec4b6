import CRabbitMQ
import Foundation

/// Converts between ``MessageProperties`` and rabbitmq-c's `amqp_basic_properties_t`.
enum PropertiesCodec {
    /// C properties whose strings and tables live in `arena`.
    static func encode(_ properties: MessageProperties, in arena: CArena) -> amqp_basic_properties_t {
        var c = amqp_basic_properties_t()
        var flags: UInt32 = 0
        func set(_ value: String?, _ flag: Int32, _ field: inout amqp_bytes_t) {
            guard let value else { return }
            field = arena.bytes(value)
            flags |= UInt32(flag)
        }
        set(properties.contentType, AMQP_BASIC_CONTENT_TYPE_FLAG, &c.content_type)
        set(properties.contentEncoding, AMQP_BASIC_CONTENT_ENCODING_FLAG, &c.content_encoding)
        set(properties.correlationID, AMQP_BASIC_CORRELATION_ID_FLAG, &c.correlation_id)
        set(properties.replyTo, AMQP_BASIC_REPLY_TO_FLAG, &c.reply_to)
        set(properties.expiration, AMQP_BASIC_EXPIRATION_FLAG, &c.expiration)
        set(properties.messageID, AMQP_BASIC_MESSAGE_ID_FLAG, &c.message_id)
        set(properties.type, AMQP_BASIC_TYPE_FLAG, &c.type)
        set(properties.userID, AMQP_BASIC_USER_ID_FLAG, &c.user_id)
        set(properties.appID, AMQP_BASIC_APP_ID_FLAG, &c.app_id)
        if !properties.headers.isEmpty {
            c.headers = FieldTableCodec.encode(properties.headers, in: arena)
            flags |= UInt32(AMQP_BASIC_HEADERS_FLAG)
        }
        if let mode = properties.deliveryMode {
            c.delivery_mode = mode.rawValue
            flags |= UInt32(AMQP_BASIC_DELIVERY_MODE_FLAG)
        }
        if let priority = properties.priority {
            c.priority = priority
            flags |= UInt32(AMQP_BASIC_PRIORITY_FLAG)
        }
        if let timestamp = properties.timestamp {
            c.timestamp = UInt64(max(0, timestamp.timeIntervalSince1970.rounded(.down)))
            flags |= UInt32(AMQP_BASIC_TIMESTAMP_FLAG)
        }
        c._flags = flags
        return c
    }

    /// Swift properties copied out of `c`.
    static func decode(_ c: amqp_basic_properties_t) -> MessageProperties {
        let flags = c._flags
        func get(_ flag: Int32, _ field: amqp_bytes_t) -> String? {
            flags & UInt32(flag) != 0 ? field.string : nil
        }
        var properties = MessageProperties()
        properties.contentType = get(AMQP_BASIC_CONTENT_TYPE_FLAG, c.content_type)
        properties.contentEncoding = get(AMQP_BASIC_CONTENT_ENCODING_FLAG, c.content_encoding)
        properties.correlationID = get(AMQP_BASIC_CORRELATION_ID_FLAG, c.correlation_id)
        properties.replyTo = get(AMQP_BASIC_REPLY_TO_FLAG, c.reply_to)
        properties.expiration = get(AMQP_BASIC_EXPIRATION_FLAG, c.expiration)
        properties.messageID = get(AMQP_BASIC_MESSAGE_ID_FLAG, c.message_id)
        properties.type = get(AMQP_BASIC_TYPE_FLAG, c.type)
        properties.userID = get(AMQP_BASIC_USER_ID_FLAG, c.user_id)
        properties.appID = get(AMQP_BASIC_APP_ID_FLAG, c.app_id)
        if flags & UInt32(AMQP_BASIC_HEADERS_FLAG) != 0 {
            properties.headers = FieldTableCodec.decode(c.headers)
        }
        if flags & UInt32(AMQP_BASIC_DELIVERY_MODE_FLAG) != 0 {
            properties.deliveryMode = DeliveryMode(rawValue: c.delivery_mode)
        }
        if flags & UInt32(AMQP_BASIC_PRIORITY_FLAG) != 0 {
            properties.priority = c.priority
        }
        if flags & UInt32(AMQP_BASIC_TIMESTAMP_FLAG) != 0 {
            properties.timestamp = Date(timeIntervalSince1970: TimeInterval(c.timestamp))
        }
        return properties
    }
}
