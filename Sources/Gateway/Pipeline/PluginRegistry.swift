import Logging

/// A plugin type whose instances are built from a decoded ``PluginConfiguration``.
public protocol ConfigurablePlugin: Plugin {
    /// The `config:` block's type.
    associatedtype Configuration: PluginConfiguration
    /// Builds an instance once per configured plugin (keys parsed, regexes compiled, ...). Throw
    /// ``InvalidConfigValue`` to report a problem found while building.
    init(configuration: Configuration, context: PluginBuildContext) throws
}

/// What a plugin may consult while it is built: the whole declarative configuration (consumers and
/// their credentials) and the compiled consumers.
public struct PluginBuildContext: Sendable {
    /// The validated declarative configuration.
    public let config: GatewayConfig
    /// Compiled consumers, by their index in `config.consumers`.
    public let consumers: [Consumer]
    /// Where plugins log.
    public let logger: Logger
    /// Objects kept across reloads for the life of the process (counters, stores, connection pools).
    public let shared: PluginSharedState
    /// The id of the route the instance is attached to (nil: not route-scoped), as Kong's
    /// `conf.route_id`; stable across reloads and processes.
    public let scopeRouteID: String?
    /// The id of the service the instance is attached to (nil: not service-scoped), as Kong's
    /// `conf.service_id`.
    public let scopeServiceID: String?

    /// Creates a build context.
    public init(
        config: GatewayConfig,
        consumers: [Consumer],
        logger: Logger,
        shared: PluginSharedState = PluginSharedState(),
        scopeRouteID: String? = nil,
        scopeServiceID: String? = nil
    ) {
        self.config = config
        self.consumers = consumers
        self.logger = logger
        self.shared = shared
        self.scopeRouteID = scopeRouteID
        self.scopeServiceID = scopeServiceID
    }

    /// The same context for an instance attached to the given route and service ids.
    public func scoped(routeID: String?, serviceID: String?) -> PluginBuildContext {
        PluginBuildContext(
            config: config,
            consumers: consumers,
            logger: logger,
            shared: shared,
            scopeRouteID: routeID,
            scopeServiceID: serviceID
        )
    }
}

/// How to validate and build one kind of plugin; the registry is a list of these.
public struct PluginDescriptor: Sendable {
    /// Kong's name.
    public let name: String
    /// Kong's priority.
    public let priority: Int
    private let checker: @Sendable (ConfigNode, ConfigPath, inout Diagnostics) -> Void
    private let builder: @Sendable (ConfigNode, ConfigPath, inout Diagnostics, PluginBuildContext) -> (any Plugin)?

    /// The descriptor of a configurable plugin type.
    public static func of<P: ConfigurablePlugin>(_ type: P.Type) -> PluginDescriptor {
        let decode: @Sendable (ConfigNode, ConfigPath, inout Diagnostics) -> P.Configuration? = { node, path, diagnostics in
            guard let configuration = ConfigDecoder.decode(P.Configuration.self, from: node, at: path, into: &diagnostics)
            else { return nil }
            var validator = PluginConfigValidator(node: node, path: path, diagnostics: diagnostics)
            configuration.validate(&validator)
            diagnostics = validator.diagnostics
            return configuration
        }
        return PluginDescriptor(
            name: P.name,
            priority: P.priority,
            checker: { node, path, diagnostics in _ = decode(node, path, &diagnostics) }
        ) { node, path, diagnostics, context in
            var scratch = diagnostics
            guard let configuration = decode(node, path, &scratch) else { return nil }
            do {
                return try P(configuration: configuration, context: context)
            } catch let invalid as InvalidConfigValue {
                diagnostics.error(invalid.message, at: node.mark, path: path)
            } catch {
                diagnostics.error("\(error)", at: node.mark, path: path)
            }
            return nil
        }
    }

    private init(
        name: String,
        priority: Int,
        checker: @escaping @Sendable (ConfigNode, ConfigPath, inout Diagnostics) -> Void,
        builder: @escaping @Sendable (ConfigNode, ConfigPath, inout Diagnostics, PluginBuildContext) -> (any Plugin)?
    ) {
        self.name = name
        self.priority = priority
        self.checker = checker
        self.builder = builder
    }

    /// Decodes and validates the `config:` node, reporting every problem (used while loading, so
    /// plugin errors are listed with all the others).
    public func check(config node: ConfigNode, at path: ConfigPath, into diagnostics: inout Diagnostics) {
        checker(node, path, &diagnostics)
    }

    /// Builds an instance from an already checked `config:` node (an empty mapping when the block is
    /// absent). Problems found while building go into `diagnostics`; nil when it could not be built.
    public func build(
        config node: ConfigNode,
        at path: ConfigPath,
        into diagnostics: inout Diagnostics,
        context: PluginBuildContext
    ) -> (any Plugin)? {
        let before = diagnostics.errors.count
        let plugin = builder(node, path, &diagnostics, context)
        return diagnostics.errors.count == before ? plugin : nil
    }
}

/// The plugins a gateway knows, by name. The `Plugins` module provides the built-in list; the core
/// never imports a plugin.
public struct PluginRegistry: Sendable {
    private let byName: [String: PluginDescriptor]

    /// A registry of these descriptors (a later one with the same name replaces an earlier one).
    public init(_ descriptors: [PluginDescriptor]) {
        var byName: [String: PluginDescriptor] = [:]
        for descriptor in descriptors { byName[descriptor.name] = descriptor }
        self.byName = byName
    }

    /// All plugin names.
    public var names: Set<String> { Set(byName.keys) }

    /// The descriptor for a name.
    public func descriptor(named name: String) -> PluginDescriptor? { byName[name] }

    /// The descriptors in Kong's run order (priority, highest first).
    public var descriptorsByPriority: [PluginDescriptor] {
        byName.values.sorted { $0.priority != $1.priority ? $0.priority > $1.priority : $0.name < $1.name }
    }
}
