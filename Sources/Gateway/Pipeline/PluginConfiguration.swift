/// A plugin's `config:` block: a `Decodable` struct with Kong's field names and defaults, decoded by
/// ``ConfigDecoder`` (so every type error and unknown field is reported with its line and column),
/// then checked by ``validate(_:)`` for rules that involve several fields (Kong's `entity_checks`).
public protocol PluginConfiguration: Decodable, Sendable {
    /// Reports rule violations; the default accepts everything that decoded.
    func validate(_ validator: inout PluginConfigValidator)
}

extension PluginConfiguration {
    public func validate(_ validator: inout PluginConfigValidator) {}
}

/// Reports problems of a decoded configuration block at the right line, column and path.
public struct PluginConfigValidator {
    /// The block's node (for marks).
    public let node: ConfigNode
    /// The block's path, e.g. `plugins[2].config`.
    public let path: ConfigPath
    /// Everything reported so far.
    public var diagnostics: Diagnostics

    /// Starts validating the block at `node`/`path`.
    public init(node: ConfigNode, path: ConfigPath, diagnostics: Diagnostics) {
        self.node = node
        self.path = path
        self.diagnostics = diagnostics
    }

    /// Reports an error at `field` (a key of the block, or nested keys separated by "."), or at the
    /// block itself when `field` is nil or absent.
    public mutating func error(_ message: String, field: String? = nil) {
        let (mark, fieldPath) = locate(field)
        diagnostics.error(message, at: mark, path: fieldPath)
    }

    /// Reports a warning, located as ``error(_:field:)``.
    public mutating func warning(_ message: String, field: String? = nil) {
        let (mark, fieldPath) = locate(field)
        diagnostics.warning(message, at: mark, path: fieldPath)
    }

    private func locate(_ field: String?) -> (ConfigMark, ConfigPath) {
        guard let field else { return (node.mark, path) }
        var current = node
        var currentPath = path
        for key in field.split(separator: ".") {
            currentPath = currentPath.appending(String(key))
            if let child = current[String(key)] { current = child }
        }
        return (current.mark, currentPath)
    }
}
