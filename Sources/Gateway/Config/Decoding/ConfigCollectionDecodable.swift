/// Lists and string-keyed dictionaries decode item by item in ``ConfigDecoder``: a bad item is
/// reported and left out, and the other items are still read and checked.
protocol ConfigCollectionDecodable {
    static func decodeCollection(from decoder: NodeDecoder) throws -> Self
}

extension Array: ConfigCollectionDecodable where Element: Decodable {
    static func decodeCollection(from decoder: NodeDecoder) throws -> [Element] {
        guard case .sequence(let items) = decoder.node.value else {
            throw decoder.session.mismatch("a list", decoder.node, decoder.path)
        }
        var values: [Element] = []
        for (index, item) in items.enumerated() {
            let child = decoder.child(
                item,
                key: ConfigCodingKey(intValue: index),
                path: decoder.path.appending(index: index)
            )
            if let value = try? decoder.session.decode(
                Element.self,
                node: item,
                path: child.path,
                codingPath: child.codingPath
            ) {
                values.append(value)
            }
        }
        return values
    }
}

extension Dictionary: ConfigCollectionDecodable where Key == String, Value: Decodable {
    static func decodeCollection(from decoder: NodeDecoder) throws -> [String: Value] {
        guard case .mapping(let entries) = decoder.node.value else {
            throw decoder.session.mismatch("a mapping", decoder.node, decoder.path)
        }
        var values: [String: Value] = [:]
        for entry in entries {
            let child = decoder.child(
                entry.value,
                key: ConfigCodingKey(stringValue: entry.key),
                path: decoder.path.appending(entry.key)
            )
            if let value = try? decoder.session.decode(
                Value.self,
                node: entry.value,
                path: child.path,
                codingPath: child.codingPath
            ) {
                values[entry.key] = value
            }
        }
        return values
    }
}
