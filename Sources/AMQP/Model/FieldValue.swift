import Foundation

/// A value in an AMQP field table (message headers, queue and exchange arguments).
public indirect enum FieldValue: Sendable, Hashable {
    /// A UTF-8 string (`S`).
    case string(String)
    /// A boolean (`t`).
    case bool(Bool)
    /// An integer; sent as a signed 64-bit `l`, received from any integer type.
    case int(Int64)
    /// A floating-point number (`d`; `f` and decimals are read into it).
    case double(Double)
    /// A timestamp with one-second precision (`T`).
    case timestamp(Date)
    /// Raw bytes (`x`).
    case bytes([UInt8])
    /// An array (`A`).
    case array([FieldValue])
    /// A nested table (`F`), for example the entries of RabbitMQ's `x-death` header.
    case table([String: FieldValue])
    /// No value (`V`).
    case void

    /// The string, when this is ``string(_:)``.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The integer, when this is ``int(_:)``.
    public var intValue: Int64? {
        if case .int(let value) = self { value } else { nil }
    }
}

extension FieldValue: ExpressibleByStringLiteral {
    /// `"text"` is `.string("text")`.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension FieldValue: ExpressibleByIntegerLiteral {
    /// `5` is `.int(5)`.
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension FieldValue: ExpressibleByBooleanLiteral {
    /// `true` is `.bool(true)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
