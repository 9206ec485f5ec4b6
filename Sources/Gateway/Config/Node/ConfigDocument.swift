/// A parsed configuration file: its name and root node, so that any ``ConfigPath`` can be
/// turned back into a line and column long after decoding.
public struct ConfigDocument: Sendable, Hashable {
    /// The file name as given to the loader.
    public var file: String
    /// The document's root node (a mapping in a valid file).
    public var root: ConfigNode

    /// Creates a document.
    public init(file: String, root: ConfigNode) {
        self.file = file
        self.root = root
    }

    /// The node at `path`, or `nil` when the path leads nowhere.
    public func node(at path: ConfigPath) -> ConfigNode? {
        var node = root
        for component in path.components {
            guard let next = Self.child(of: node, component) else { return nil }
            node = next
        }
        return node
    }

    /// The mark of the node at `path`; when the path leads nowhere (a missing field), the mark
    /// of the deepest node that exists on the way, so a missing field points at its parent.
    public func mark(at path: ConfigPath) -> ConfigMark {
        var node = root
        for component in path.components {
            guard let next = Self.child(of: node, component) else { break }
            node = next
        }
        return node.mark
    }

    /// The mark of the key at the end of `path` (for "unknown field" style reports), falling
    /// back to ``mark(at:)``.
    public func keyMark(at path: ConfigPath) -> ConfigMark {
        guard let key = path.lastKey, let entry = node(at: path.parent)?.entry(key) else {
            return mark(at: path)
        }
        return entry.keyMark
    }

    private static func child(of node: ConfigNode, _ component: ConfigPath.Component) -> ConfigNode? {
        switch (component, node.value) {
        case (.key(let key), .mapping(let entries)):
            return entries.first { $0.key == key }?.value
        case (.index(let index), .sequence(let items)):
            return items.indices.contains(index) ? items[index] : nil
        default:
            return nil
        }
    }
}
