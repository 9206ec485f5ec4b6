/// Decodes and validates one plugin's `config:` block during loading, e.g.
/// ```swift
/// let node = plugin.configNode(in: document)
/// _ = ConfigDecoder.decode(T.self, from: node, at: plugin.configLocation, into: &diagnostics)
/// ```
public typealias PluginConfigCheck =
    @Sendable (_ plugin: PluginDeclaration, _ document: ConfigDocument, _ diagnostics: inout Diagnostics) -> Void

/// What ``ConfigLoader`` produced: the configuration when there was no error, and every
/// error and warning found.
public struct ConfigLoadResult: Sendable {
    /// The loaded configuration; `nil` when any error was found.
    public var config: GatewayConfig?
    /// Every error and warning, in the order found (``Diagnostics/sorted`` gives file order).
    public var diagnostics: Diagnostics

    /// Creates a result.
    public init(config: GatewayConfig?, diagnostics: Diagnostics) {
        self.config = config
        self.diagnostics = diagnostics
    }

    /// Whether the file loaded (warnings allowed).
    public var succeeded: Bool { config != nil }

    /// The configuration, or the diagnostics as an error.
    public func get() throws(ConfigLoadFailure) -> GatewayConfig {
        guard let config else { throw ConfigLoadFailure(diagnostics: diagnostics) }
        return config
    }
}

/// Thrown by ``ConfigLoadResult/get()`` when the file did not load; its description lists
/// every problem, one per line, in file order.
public struct ConfigLoadFailure: Error, Sendable, CustomStringConvertible {
    /// Every error and warning found.
    public var diagnostics: Diagnostics

    /// Creates the error from the load's diagnostics.
    public init(diagnostics: Diagnostics) {
        self.diagnostics = diagnostics
    }

    /// Every report, one per line, in file order.
    public var description: String { diagnostics.description }
}
