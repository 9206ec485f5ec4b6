/// Reads one scalar for ``ConfigDecoder``: strings, booleans and numbers as the YAML 1.2 core
/// schema types them (see ``ConfigScalar/resolved``).
///
/// Any non-null scalar reads as a string, in the exact text written (so `custom_id: 1` and
/// `_format_version: 3.0` work). A quoted scalar never reads as a number or a boolean.
/// Booleans also accept Kong's YAML 1.1 spellings (`yes`, `no`, `on`, `off`) when plain.
struct NodeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }
    private var node: ConfigNode { decoder.node }

    func decodeNil() -> Bool {
        node.isNull
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .scalar(let scalar) = node.value else { throw mismatch("a boolean") }
        if case .bool(let value) = scalar.resolved { return value }
        if scalar.style == .plain, scalar.tag == nil, let value = ConfigScalar.yaml11Bool(scalar.text) {
            return value
        }
        throw mismatch("a boolean")
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .scalar(let scalar) = node.value else { throw mismatch("a string") }
        return scalar.text
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard case .scalar(let scalar) = node.value else { throw mismatch("a number") }
        switch scalar.resolved {
        case .int(let value): return Double(value)
        case .float(let value): return value
        default: throw mismatch("a number")
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.session.decode(type, node: node, path: decoder.path, codingPath: codingPath)
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard case .scalar(let scalar) = node.value, case .int(let value) = scalar.resolved else {
            throw mismatch("an integer")
        }
        guard let exact = T(exactly: value) else {
            decoder.session.diagnostics.error(
                "integer \(value) is out of range (\(T.min)...\(T.max))",
                at: node.mark,
                path: decoder.path
            )
            throw AlreadyReported()
        }
        return exact
    }

    private func mismatch(_ expected: String) -> AlreadyReported {
        decoder.session.mismatch(expected, node, decoder.path)
    }
}
