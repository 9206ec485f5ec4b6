/// A loaded, validated gateway.yaml: Kong's entities flattened (nested routes, targets,
/// credentials and plugins moved to their own lists, references resolved to indices, routes
/// and plugins in file order), the `pasarela:` settings, and the parsed document so that any
/// element's ``ConfigPath`` can be turned back into a line and column.
public struct GatewayConfig: Sendable, Hashable {
    /// `_format_version`: `"1.1"`, `"2.1"` or `"3.0"`.
    public var formatVersion: String
    /// The `pasarela:` block (defaults when absent).
    public var settings: PasarelaSettings
    /// Every service, in file order.
    public var services: [ServiceConfig]
    /// Every route, nested and flat, in file order; ``RouteConfig/serviceIndex`` points into `services`.
    public var routes: [RouteConfig]
    /// Every upstream with all its targets.
    public var upstreams: [UpstreamConfig]
    /// Every consumer with all its credentials.
    public var consumers: [ConsumerConfig]
    /// Every plugin, global and scoped, in file order; see ``PluginDeclaration/scope``.
    public var plugins: [PluginDeclaration]
    /// The parsed file.
    public var document: ConfigDocument

    /// Creates a configuration from its parts.
    public init(
        formatVersion: String = "3.0",
        settings: PasarelaSettings = PasarelaSettings(),
        services: [ServiceConfig] = [],
        routes: [RouteConfig] = [],
        upstreams: [UpstreamConfig] = [],
        consumers: [ConsumerConfig] = [],
        plugins: [PluginDeclaration] = [],
        document: ConfigDocument
    ) {
        self.formatVersion = formatVersion
        self.settings = settings
        self.services = services
        self.routes = routes
        self.upstreams = upstreams
        self.consumers = consumers
        self.plugins = plugins
        self.document = document
    }

    /// The line and column of the element at `path`.
    public func mark(at path: ConfigPath) -> ConfigMark {
        document.mark(at: path)
    }

    /// The service named `name`.
    public func service(named name: String) -> ServiceConfig? {
        services.first { $0.name == name }
    }

    /// The upstream named `name` (a service whose `host` is this name is load-balanced).
    public func upstream(named name: String) -> UpstreamConfig? {
        upstreams.first { $0.name == name }
    }

    /// The consumer whose username is `username`.
    public func consumer(username: String) -> ConsumerConfig? {
        consumers.first { $0.username == username }
    }

    /// The routes of the service at `serviceIndex`, in file order.
    public func routes(ofService serviceIndex: Int) -> [RouteConfig] {
        routes.filter { $0.serviceIndex == serviceIndex }
    }

    /// The plugins declared for exactly `scope`.
    public func plugins(in scope: PluginScope) -> [PluginDeclaration] {
        plugins.filter { $0.scope == scope }
    }
}
