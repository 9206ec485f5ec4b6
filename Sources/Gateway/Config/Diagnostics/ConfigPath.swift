import Foundation

/// Where a value sits in the configuration, written as `services[0].routes[1].paths[0]`.
public struct ConfigPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// One step: a mapping key or a list index.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The steps from the document root.
    public var components: [Component]

    /// Creates a path from its steps.
    public init(_ components: [Component] = []) {
        self.components = components
    }

    /// A path from a literal: `["services", 0, "name"]`.
    public init(arrayLiteral elements: Component...) {
        self.components = elements
    }

    /// The document root.
    public static let root = ConfigPath()

    /// This path followed by a mapping key.
    public func appending(_ key: String) -> ConfigPath {
        ConfigPath(components + [.key(key)])
    }

    /// This path followed by a list index.
    public func appending(index: Int) -> ConfigPath {
        ConfigPath(components + [.index(index)])
    }

    /// The path without its last step (the root stays the root).
    public var parent: ConfigPath {
        ConfigPath(Array(components.dropLast()))
    }

    /// The last step's key, if it is one.
    public var lastKey: String? {
        if case .key(let key)? = components.last { return key }
        return nil
    }

    /// `services[0].routes[1].paths[0]`; keys that are not plain words are quoted
    /// (`headers["x.y"]`); the root is `<root>`.
    public var description: String {
        guard !components.isEmpty else { return "<root>" }
        var text = ""
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where Self.isPlain(key):
                text += text.isEmpty ? key : "." + key
            case .key(let key):
                let escaped = key.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "\"", with: "\\\"")
                text += "[\"\(escaped)\"]"
            }
        }
        return text
    }

    private static func isPlain(_ key: String) -> Bool {
        !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }
}

extension ConfigPath.Component: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// A key step: `["services", 0, "name"]` builds `services[0].name`.
    public init(stringLiteral value: String) {
        self = .key(value)
    }

    /// An index step.
    public init(integerLiteral value: Int) {
        self = .index(value)
    }
}

extension ConfigPath {
    /// Parses the printed form back (`services[0].routes[1]`, `headers["x.y"]`); `<root>`
    /// and the empty string are the root. Returns `nil` when malformed.
    public init?(parsing text: String) {
        guard text != "<root>", !text.isEmpty else {
            self = .root
            return
        }
        var components: [Component] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("[\"") {
                guard let end = rest.range(of: "\"]") else { return nil }
                let key = rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound]
                components.append(
                    .key(key.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\"))
                )
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix("[") {
                guard let end = rest.firstIndex(of: "]"),
                    let index = Int(rest[rest.index(after: rest.startIndex)..<end])
                else { return nil }
                components.append(.index(index))
                rest = rest[rest.index(after: end)...]
            } else {
                if rest.hasPrefix(".") { rest = rest.dropFirst() }
                let key = rest.prefix { $0 != "." && $0 != "[" }
                guard !key.isEmpty else { return nil }
                components.append(.key(String(key)))
                rest = rest.dropFirst(key.count)
            }
        }
        self.init(components)
    }
}
