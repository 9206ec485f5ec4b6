import SQLKit

/// A result row, decoded by column name as sql-kit's `SQLRow` (the ledger reads every row through it).
struct MariaDBRow: SQLRow {
    /// The result's column names, shared by its rows.
    let columns: [String]
    let values: [MariaDBValue]

    var allColumns: [String] { columns }

    func contains(column: String) -> Bool { columns.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        try value(column) == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        try D(from: MariaDBValueDecoder(value: try value(column), column: column))
    }

    private func value(_ column: String) throws -> MariaDBValue {
        guard let index = columns.firstIndex(of: column) else {
            throw DecodingError.keyNotFound(
                MariaDBColumnKey(stringValue: column),
                .init(codingPath: [], debugDescription: "no column \"\(column)\" in the result")
            )
        }
        return values[index]
    }
}

/// A column name as a coding key (for decoding errors).
struct MariaDBColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Decodes one column value into a Swift scalar (integers of any width, strings, booleans, floating
/// point, optionals of them). Integers also decode from text, as DECIMAL results arrive as text.
struct MariaDBValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: MariaDBValue
    let column: String

    var codingPath: [any CodingKey] { [MariaDBColumnKey(stringValue: column)] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw mismatch("a keyed container")
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw mismatch("an unkeyed container")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool { try integer(Int64.self) != 0 }
    func decode(_ type: String.Type) throws -> String {
        switch value {
        case .bytes(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else { throw mismatch("UTF-8 text") }
            return text
        case .int(let number): return String(number)
        case .uint(let number): return String(number)
        case .double(let number): return String(number)
        case .null: throw mismatch("a string")
        }
    }
    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .double(let number): return number
        case .int(let number): return Double(number)
        case .uint(let number): return Double(number)
        case .bytes(let bytes):
            guard let number = Double(String(decoding: bytes, as: UTF8.self)) else { throw mismatch("a number") }
            return number
        case .null: throw mismatch("a number")
        }
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }

    /// An integer column (or a DECIMAL/text one holding an integer) that fits `I`.
    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        let result: I?
        switch value {
        case .int(let number): result = I(exactly: number)
        case .uint(let number): result = I(exactly: number)
        case .bytes(let bytes): result = I(String(decoding: bytes, as: UTF8.self))
        case .double, .null: result = nil
        }
        guard let result else { throw mismatch("an integer that fits \(I.self)") }
        return result
    }

    private func mismatch(_ expected: String) -> DecodingError {
        .typeMismatch(
            Any.self,
            .init(codingPath: codingPath, debugDescription: "column \(column) is \(value.kind), expected \(expected)")
        )
    }
}

extension MariaDBValue {
    /// The value's kind, for error messages (never the value itself).
    var kind: String {
        switch self {
        case .null: "NULL"
        case .int, .uint: "an integer"
        case .double: "a floating-point number"
        case .bytes: "text or binary"
        }
    }
}
