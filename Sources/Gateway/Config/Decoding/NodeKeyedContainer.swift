/// Reads a mapping for ``ConfigDecoder``, noting which keys the type asks for.
struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let entries: [ConfigNode.Entry]
    /// The session's handle for this mapping's key use.
    let usage: Int

    var codingPath: [any CodingKey] { decoder.codingPath }
    private var session: DecodingSession { decoder.session }
    private var path: ConfigPath { decoder.path }

    var allKeys: [Key] {
        session.requestAllKeys(in: usage)
        return entries.compactMap { Key(stringValue: $0.key) }
    }

    func contains(_ key: Key) -> Bool {
        lookup(key) != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        lookup(key)?.value.isNull ?? true
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try session.decode(
            type,
            node: required(key),
            path: path.appending(key.stringValue),
            codingPath: codingPath + [key]
        )
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let entry = lookup(key), !entry.value.isNull else { return nil }
        do {
            return try session.decode(
                type,
                node: entry.value,
                path: path.appending(key.stringValue),
                codingPath: codingPath + [key]
            )
        } catch is AlreadyReported {
            return nil
        }
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try childDecoder(required(key), key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try childDecoder(required(key), key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = ConfigCodingKey(stringValue: "super")
        session.request(key.stringValue, in: usage)
        let node = entries.first { $0.key == key.stringValue }?.value ?? ConfigNode(.null, mark: decoder.node.mark)
        return decoder.child(node, key: key, path: path.appending(key.stringValue))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        childDecoder(lookup(key)?.value ?? ConfigNode(.null, mark: decoder.node.mark), key)
    }

    /// The entry for `key`, noting that the type asked for it.
    private func lookup(_ key: Key) -> ConfigNode.Entry? {
        session.request(key.stringValue, in: usage)
        return entries.first { $0.key == key.stringValue }
    }

    /// The value for `key`, or a "missing required field" report at this mapping.
    private func required(_ key: Key) throws -> ConfigNode {
        guard let entry = lookup(key) else {
            session.diagnostics.error(
                "missing required field \"\(key.stringValue)\"",
                at: decoder.node.mark,
                path: path
            )
            throw AlreadyReported()
        }
        return entry.value
    }

    private func childDecoder(_ node: ConfigNode, _ key: Key) -> NodeDecoder {
        decoder.child(node, key: key, path: path.appending(key.stringValue))
    }

    // Every concrete overload goes through the generic versions above, so that mismatches
    // are reported the same way whatever the type.
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type, key) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decode(type, forKey: key) as T
    }

    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        try decodeIfPresent(type, forKey: key) as T?
    }
}
