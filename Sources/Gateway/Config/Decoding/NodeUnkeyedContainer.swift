/// Reads a list for ``ConfigDecoder``, one item at a time.
struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [ConfigNode]
    private(set) var currentIndex = 0

    init(decoder: NodeDecoder, items: [ConfigNode]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return true }
        if items[currentIndex].isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let child = try nextChild()
        return try decoder.session.decode(type, node: child.node, path: child.path, codingPath: child.codingPath)
    }

    mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
        guard !isAtEnd else { return nil }
        if try decodeNil() { return nil }
        do {
            return try decode(type) as T
        } catch is AlreadyReported {
            return nil
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try nextChild().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try nextChild().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        try nextChild()
    }

    /// A decoder for the next item, or a report that the list is too short.
    private mutating func nextChild() throws -> NodeDecoder {
        guard !isAtEnd else {
            decoder.session.diagnostics.error(
                "expected more items in the list",
                at: decoder.node.mark,
                path: decoder.path
            )
            throw AlreadyReported()
        }
        let index = currentIndex
        currentIndex += 1
        return decoder.child(
            items[index],
            key: ConfigCodingKey(intValue: index),
            path: decoder.path.appending(index: index)
        )
    }
}
