/// A Kong route: which requests go to which service. Kong's defaults hold, surprising ones
/// included (`strip_path` is true).
public struct RouteConfig: Sendable, Hashable, Decodable {
    /// How a matched path is joined to the service path (Kong's `path_handling`).
    public enum PathHandling: String, ConfigEnum {
        case v0, v1
    }

    /// Kong's optional entity id.
    public var id: String?
    /// The route's unique name, if any.
    public var name: String?
    /// Protocols the route accepts (default `http`, `https`).
    public var protocols: [GatewayProtocol]
    /// Upper-case HTTP methods; empty matches any.
    public var methods: [String]
    /// Host names, with one `*.` prefix or `.*` suffix wildcard allowed; empty matches any.
    public var hosts: [String]
    /// Plain prefixes (`/users`) or regexes starting with `~`; empty matches any.
    public var paths: [String]
    /// Header name → accepted values (a value starting with `~*` is a regex).
    public var headers: [String: [String]]
    /// TLS server names.
    public var snis: [String]
    /// Client addresses (stream routes).
    public var sources: [RouteEndpoint]
    /// Local addresses (stream routes).
    public var destinations: [RouteEndpoint]
    /// Whether the matched path prefix is removed before proxying (Kong default true).
    public var stripPath: Bool
    /// Whether the client's `Host` is sent upstream (Kong default false).
    public var preserveHost: Bool
    /// Order among regex routes; higher first (default 0).
    public var regexPriority: Int
    /// `v0` (default) or `v1`.
    public var pathHandling: PathHandling
    /// Status used to redirect plain HTTP when only `https` is accepted (default 426).
    public var httpsRedirectStatusCode: Int
    /// Whether the request body is buffered before proxying (default true).
    public var requestBuffering: Bool
    /// Whether the response body is buffered before sending it on (default true).
    public var responseBuffering: Bool
    /// Free-form tags.
    public var tags: [String]
    /// The service named in the flat form (`service: users`), as written.
    public var service: EntityReference?
    /// Index in ``GatewayConfig/services`` once resolved; `nil` for a route without a service.
    public var serviceIndex: Int?
    /// Where the route is declared.
    public var location: ConfigPath

    /// Plugins nested in the route; moved out when the model is flattened.
    var nestedPlugins: [PluginDeclaration]

    private enum CodingKeys: String, CodingKey {
        case id, name, protocols, methods, hosts, paths, headers, snis, sources, destinations, tags, service
        case plugins
        case stripPath = "strip_path"
        case preserveHost = "preserve_host"
        case regexPriority = "regex_priority"
        case pathHandling = "path_handling"
        case httpsRedirectStatusCode = "https_redirect_status_code"
        case requestBuffering = "request_buffering"
        case responseBuffering = "response_buffering"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        id = try c.optional(.id)
        name = try c.optional(.name)
        protocols = try c.value(.protocols, or: [.http, .https])
        methods = try c.value(.methods, or: [])
        hosts = try c.value(.hosts, or: [])
        paths = try c.value(.paths, or: [])
        headers = try c.value(.headers, or: [:])
        snis = try c.value(.snis, or: [])
        sources = try c.value(.sources, or: [])
        destinations = try c.value(.destinations, or: [])
        stripPath = try c.value(.stripPath, or: true)
        preserveHost = try c.value(.preserveHost, or: false)
        regexPriority = try c.value(.regexPriority, or: 0)
        pathHandling = try c.value(.pathHandling, or: .v0)
        httpsRedirectStatusCode = try c.value(.httpsRedirectStatusCode, or: 426)
        requestBuffering = try c.value(.requestBuffering, or: true)
        responseBuffering = try c.value(.responseBuffering, or: true)
        tags = try c.value(.tags, or: [])
        service = try c.optional(.service)
        serviceIndex = nil
        nestedPlugins = try c.value(.plugins, or: [])
        c.accept(.createdAt, .updatedAt)
    }
}

/// One entry of a route's `sources` or `destinations`: an address or CIDR range and/or a port.
public struct RouteEndpoint: Sendable, Hashable, Decodable {
    /// IP address or CIDR range, if given.
    public var ip: String?
    /// Port, if given.
    public var port: Int?
    /// Where the entry is declared.
    public var location: ConfigPath

    private enum CodingKeys: String, CodingKey {
        case ip, port
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        ip = try c.optional(.ip)
        port = try c.optional(.port)
    }
}
