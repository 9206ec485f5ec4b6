import CRabbitMQ
import Foundation

/// Converts between ``FieldValue`` tables and rabbitmq-c's `amqp_table_t`.
enum FieldTableCodec {
    /// An `amqp_table_t` whose memory lives in `arena`.
    static func encode(_ table: [String: FieldValue], in arena: CArena) -> amqp_table_t {
        guard !table.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let entries = arena.allocate(amqp_table_entry_t.self, count: table.count, initializingWith: amqp_table_entry_t())
        for (index, (key, value)) in table.sorted(by: { $0.key < $1.key }).enumerated() {
            entries[index].key = arena.bytes(key)
            entries[index].value = encode(value, in: arena)
        }
        return amqp_table_t(num_entries: Int32(table.count), entries: entries)
    }

    /// A Swift table copied out of `table`.
    static func decode(_ table: amqp_table_t) -> [String: FieldValue] {
        guard let entries = table.entries, table.num_entries > 0 else { return [:] }
        var result: [String: FieldValue] = [:]
        for index in 0..<Int(table.num_entries) {
            result[entries[index].key.string] = decode(entries[index].value)
        }
        return result
    }

    private static func encode(_ value: FieldValue, in arena: CArena) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .string(let string):
            field.kind = kind(AMQP_FIELD_KIND_UTF8)
            field.value.bytes = arena.bytes(string)
        case .bool(let bool):
            field.kind = kind(AMQP_FIELD_KIND_BOOLEAN)
            field.value.boolean = bool ? 1 : 0
        case .int(let int):
            field.kind = kind(AMQP_FIELD_KIND_I64)
            field.value.i64 = int
        case .double(let double):
            field.kind = kind(AMQP_FIELD_KIND_F64)
            field.value.f64 = double
        case .timestamp(let date):
            field.kind = kind(AMQP_FIELD_KIND_TIMESTAMP)
            field.value.u64 = UInt64(max(0, date.timeIntervalSince1970.rounded(.down)))
        case .bytes(let bytes):
            field.kind = kind(AMQP_FIELD_KIND_BYTES)
            field.value.bytes = bytes.withUnsafeBufferPointer { arena.bytes($0) }
        case .array(let values):
            field.kind = kind(AMQP_FIELD_KIND_ARRAY)
            let entries = arena.allocate(amqp_field_value_t.self, count: values.count, initializingWith: amqp_field_value_t())
            for (index, element) in values.enumerated() { entries[index] = encode(element, in: arena) }
            field.value.array = amqp_array_t(num_entries: Int32(values.count), entries: values.isEmpty ? nil : entries)
        case .table(let table):
            field.kind = kind(AMQP_FIELD_KIND_TABLE)
            field.value.table = encode(table, in: arena)
        case .void:
            field.kind = kind(AMQP_FIELD_KIND_VOID)
        }
        return field
    }

    private static func decode(_ field: amqp_field_value_t) -> FieldValue {
        switch amqp_field_value_kind_t(rawValue: UInt32(field.kind)) {
        case AMQP_FIELD_KIND_BOOLEAN: .bool(field.value.boolean != 0)
        case AMQP_FIELD_KIND_I8: .int(Int64(field.value.i8))
        case AMQP_FIELD_KIND_U8: .int(Int64(field.value.u8))
        case AMQP_FIELD_KIND_I16: .int(Int64(field.value.i16))
        case AMQP_FIELD_KIND_U16: .int(Int64(field.value.u16))
        case AMQP_FIELD_KIND_I32: .int(Int64(field.value.i32))
        case AMQP_FIELD_KIND_U32: .int(Int64(field.value.u32))
        case AMQP_FIELD_KIND_I64: .int(field.value.i64)
        case AMQP_FIELD_KIND_U64: .int(Int64(truncatingIfNeeded: field.value.u64))
        case AMQP_FIELD_KIND_F32: .double(Double(field.value.f32))
        case AMQP_FIELD_KIND_F64: .double(field.value.f64)
        case AMQP_FIELD_KIND_DECIMAL:
            .double(Double(field.value.decimal.value) / pow(10, Double(field.value.decimal.decimals)))
        case AMQP_FIELD_KIND_UTF8: .string(field.value.bytes.string)
        case AMQP_FIELD_KIND_BYTES: .bytes(field.value.bytes.array)
        case AMQP_FIELD_KIND_TIMESTAMP: .timestamp(Date(timeIntervalSince1970: TimeInterval(field.value.u64)))
        case AMQP_FIELD_KIND_TABLE: .table(decode(field.value.table))
        case AMQP_FIELD_KIND_ARRAY: .array(decode(field.value.array))
        default: .void
        }
    }

    private static func decode(_ array: amqp_array_t) -> [FieldValue] {
        guard let entries = array.entries, array.num_entries > 0 else { return [] }
        return (0..<Int(array.num_entries)).map { decode(entries[$0]) }
    }

    private static func kind(_ kind: amqp_field_value_kind_t) -> UInt8 { UInt8(kind.rawValue) }
}
