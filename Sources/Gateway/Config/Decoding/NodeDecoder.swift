/// The `Decoder` that ``ConfigDecoder`` hands to `init(from:)`: one node and its path.
struct NodeDecoder: Decoder {
    let node: ConfigNode
    let path: ConfigPath
    let codingPath: [any CodingKey]
    let session: DecodingSession
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let entries) = node.value else { throw session.mismatch("a mapping", node, path) }
        let usage = session.register(entries, at: path)
        return KeyedDecodingContainer(NodeKeyedContainer<Key>(decoder: self, entries: entries, usage: usage))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let items) = node.value else { throw session.mismatch("a list", node, path) }
        return NodeUnkeyedContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        NodeSingleValueContainer(decoder: self)
    }

    /// A decoder for `child`, one step below this one.
    func child(_ child: ConfigNode, key: any CodingKey, path childPath: ConfigPath) -> NodeDecoder {
        NodeDecoder(node: child, path: childPath, codingPath: codingPath + [key], session: session)
    }
}

extension Decoder {
    /// Where the value being decoded sits in its document, when decoding with ``ConfigDecoder``.
    public var configPath: ConfigPath? {
        (self as? NodeDecoder)?.path
    }

    /// The node being decoded, when decoding with ``ConfigDecoder``.
    public var configNode: ConfigNode? {
        (self as? NodeDecoder)?.node
    }
}

extension ConfigNode: Decodable {
    /// Keeps the raw node (with its marks) when decoding with ``ConfigDecoder``; other decoders
    /// cannot produce one.
    public init(from decoder: any Decoder) throws {
        guard let node = decoder.configNode else {
            throw InvalidConfigValue("a raw configuration node can only be read by ConfigDecoder")
        }
        self = node
    }
}
