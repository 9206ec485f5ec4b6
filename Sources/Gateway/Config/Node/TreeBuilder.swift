import Yams

/// Converts a Yams node tree into ``ConfigNode``s, keeping marks and reporting keys that are
/// not scalars or that repeat within a mapping. Aliases arrive resolved from Yams; merge keys
/// (`<<: *defaults`) are applied here, explicit keys winning.
struct TreeBuilder {
    /// Marks of keys that ``DuplicateKeyLocator`` renamed: reported and dropped here.
    var renamed: [ConfigMark: DuplicateKey]
    var diagnostics: Diagnostics

    mutating func build(_ node: Yams.Node, path: ConfigPath, fallback: ConfigMark) -> ConfigNode {
        let mark = node.mark.map { ConfigMark(line: $0.line, column: $0.column) } ?? fallback
        switch node {
        case .scalar(let scalar):
            return ConfigNode(Self.value(of: scalar), mark: mark)
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for (index, item) in sequence.enumerated() {
                items.append(build(item, path: path.appending(index: index), fallback: mark))
            }
            return ConfigNode(.sequence(items), mark: mark)
        case .mapping(let mapping):
            return ConfigNode(.mapping(entries(of: mapping, path: path, mark: mark)), mark: mark)
        case .alias:
            return ConfigNode(.null, mark: mark)
        }
    }

    private mutating func entries(
        of mapping: Yams.Node.Mapping,
        path: ConfigPath,
        mark: ConfigMark
    )
        -> [ConfigNode.Entry]
    {
        var entries: [ConfigNode.Entry] = []
        var seen: [String: ConfigMark] = [:]
        var merged: [Yams.Node] = []
        for (keyNode, valueNode) in mapping {
            let keyMark = keyNode.mark.map { ConfigMark(line: $0.line, column: $0.column) } ?? mark
            guard case .scalar(let keyScalar) = keyNode else {
                diagnostics.error(
                    "mapping keys must be strings, found \(Self.kind(of: keyNode))",
                    at: keyMark,
                    path: path
                )
                continue
            }
            if let duplicate = renamed[keyMark] {
                diagnostics.error(
                    "duplicate key \"\(duplicate.key)\" (first defined on line \(duplicate.first.line))",
                    at: keyMark,
                    path: path.appending(duplicate.key)
                )
                continue
            }
            let key = keyScalar.string
            if key == "<<", keyScalar.style == .plain || keyScalar.style == .any {
                merged += mergeSources(valueNode, at: keyMark, path: path)
                continue
            }
            if let first = seen[key] {
                diagnostics.error(
                    "duplicate key \"\(key)\" (first defined on line \(first.line))",
                    at: keyMark,
                    path: path.appending(key)
                )
                continue
            }
            seen[key] = keyMark
            let value = build(valueNode, path: path.appending(key), fallback: keyMark)
            entries.append(ConfigNode.Entry(key: key, keyMark: keyMark, value: value))
        }
        for source in merged {
            let sourceMark = source.mark.map { ConfigMark(line: $0.line, column: $0.column) } ?? mark
            guard case .mapping(let inherited) = build(source, path: path, fallback: sourceMark).value else { continue }
            for entry in inherited where seen[entry.key] == nil {
                seen[entry.key] = entry.keyMark
                entries.append(entry)
            }
        }
        return entries
    }

    /// The mappings a merge key's value names: one mapping or a list of them.
    private mutating func mergeSources(_ value: Yams.Node, at mark: ConfigMark, path: ConfigPath) -> [Yams.Node] {
        switch value {
        case .mapping:
            return [value]
        case .sequence(let items) where items.allSatisfy({ $0.mapping != nil }):
            return Array(items)
        default:
            diagnostics.error("a merge key (<<) needs a mapping or a list of mappings", at: mark, path: path)
            return []
        }
    }

    private static func value(of scalar: Yams.Node.Scalar) -> ConfigNode.Value {
        let tagName = scalar.tag.rawValue
        let tag = tagName.isEmpty ? nil : tagName
        let style: ConfigScalar.Style
        switch scalar.style {
        case .singleQuoted: style = .singleQuoted
        case .doubleQuoted: style = .doubleQuoted
        case .literal: style = .literal
        case .folded: style = .folded
        case .any, .plain: style = .plain
        }
        if tag == ConfigScalar.nullTag || (tag == nil && style == .plain && ConfigScalar.isNull(scalar.string)) {
            return .null
        }
        return .scalar(ConfigScalar(scalar.string, style: style, tag: tag))
    }

    private static func kind(of node: Yams.Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        default: return "an alias"
        }
    }
}
