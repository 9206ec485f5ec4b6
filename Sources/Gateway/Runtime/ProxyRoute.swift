/// A route ready for the proxy: its service, path handling and resolved plugin chain.
///
/// A class, immutable: every request on the route shares it (one reference to copy, not a dozen
/// fields to retain).
public final class ProxyRoute: Sendable {
    /// A stable id (configured, or derived from the name/position).
    public let id: String
    /// Kong's `name`.
    public let name: String?
    /// The service requests on this route go to (nil: a route without service answers 503, as Kong).
    public let service: ProxyService?
    /// Kong's `strip_path`.
    public let stripPath: Bool
    /// Kong's `preserve_host`.
    public let preserveHost: Bool
    /// The plugins that run for requests on this route.
    public let chain: PluginChain

    /// Creates a route.
    public init(
        id: String,
        name: String?,
        service: ProxyService?,
        stripPath: Bool,
        preserveHost: Bool,
        chain: PluginChain
    ) {
        self.id = id
        self.name = name
        self.service = service
        self.stripPath = stripPath
        self.preserveHost = preserveHost
        self.chain = chain
    }
}
