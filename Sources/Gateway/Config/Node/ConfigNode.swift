/// One node of a parsed configuration file, with the position it came from.
///
/// A tree of `ConfigNode`s is what the loader decodes into the model; plugins keep their
/// `config:` block as a `ConfigNode` and decode it later with ``ConfigDecoder``.
public struct ConfigNode: Sendable, Hashable {
    /// What a node holds.
    public enum Value: Sendable, Hashable {
        /// `null`, `~`, or an empty value (YAML 1.2 core schema).
        case null
        /// Any other scalar: text plus how it was written.
        case scalar(ConfigScalar)
        /// A list, in file order.
        case sequence([ConfigNode])
        /// A mapping, in file order; keys are unique.
        case mapping([Entry])
    }

    /// One `key: value` pair of a mapping.
    public struct Entry: Sendable, Hashable {
        /// The key's text.
        public var key: String
        /// Where the key starts.
        public var keyMark: ConfigMark
        /// The value.
        public var value: ConfigNode

        /// Creates an entry.
        public init(key: String, keyMark: ConfigMark, value: ConfigNode) {
            self.key = key
            self.keyMark = keyMark
            self.value = value
        }
    }

    /// The node's content.
    public var value: Value
    /// Where the node starts in the file.
    public var mark: ConfigMark

    /// Creates a node.
    public init(_ value: Value, mark: ConfigMark) {
        self.value = value
        self.mark = mark
    }
}

extension ConfigNode {
    /// The entries when this node is a mapping.
    public var entries: [Entry]? {
        if case .mapping(let entries) = value { return entries }
        return nil
    }

    /// The items when this node is a sequence.
    public var items: [ConfigNode]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    /// The scalar when this node is one.
    public var scalar: ConfigScalar? {
        if case .scalar(let scalar) = value { return scalar }
        return nil
    }

    /// Whether this node is `null`.
    public var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    /// The entry for `key` when this node is a mapping.
    public func entry(_ key: String) -> Entry? {
        entries?.first { $0.key == key }
    }

    /// The value for `key` when this node is a mapping.
    public subscript(key: String) -> ConfigNode? {
        entry(key)?.value
    }

    /// A short description for messages: `"text"`, `null`, `a list`, `a mapping`.
    public var summary: String {
        switch value {
        case .null: return "null"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar(let scalar):
            if case .string = scalar.resolved { return scalar.quotedForMessage }
            return scalar.text
        }
    }
}
