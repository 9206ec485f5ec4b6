/// One value crossing the MariaDB client: a statement parameter or a result column.
enum MariaDBValue: Sendable, Hashable {
    case null
    case int(Int64)
    /// An unsigned integer column (or parameter).
    case uint(UInt64)
    case double(Double)
    /// Text and binary columns (and DECIMAL, which the server sends as text), as the server sent them.
    case bytes([UInt8])

    /// A parameter from a Swift string.
    static func string(_ text: String) -> MariaDBValue { .bytes(Array(text.utf8)) }

    /// The parameter value of one of sql-kit's binds (`any Encodable & Sendable`): integers, strings,
    /// booleans, floating point and optionals of them (`nil` is NULL). Anything else is refused rather
    /// than turned into text.
    static func bind(_ value: any Encodable) throws(MariaDBError) -> MariaDBValue {
        switch value {
        case let value as any OptionalBind:
            guard let wrapped = value.wrappedBind else { return .null }
            return try bind(wrapped)
        case let value as Int64: return .int(value)
        case let value as Int: return .int(Int64(value))
        case let value as Int32: return .int(Int64(value))
        case let value as Int16: return .int(Int64(value))
        case let value as Int8: return .int(Int64(value))
        case let value as UInt64: return .uint(value)
        case let value as UInt: return .uint(UInt64(value))
        case let value as UInt32: return .uint(UInt64(value))
        case let value as UInt16: return .uint(UInt64(value))
        case let value as UInt8: return .uint(UInt64(value))
        case let value as Bool: return .int(value ? 1 : 0)
        case let value as String: return .string(value)
        case let value as Double: return .double(value)
        case let value as Float: return .double(Double(value))
        default:
            throw MariaDBError(client: "cannot bind a value of type \(type(of: value))")
        }
    }
}

/// An `Optional` seen through `any Encodable`.
private protocol OptionalBind {
    var wrappedBind: (any Encodable)? { get }
}

extension Optional: OptionalBind where Wrapped: Encodable {
    fileprivate var wrappedBind: (any Encodable)? { self.map { $0 } }
}
