/// A Kong service: where matched requests go. Either `url` or `protocol`/`host`/`port`/`path`;
/// timeouts are in milliseconds, as in Kong.
public struct ServiceConfig: Sendable, Hashable, Decodable {
    /// Kong's optional entity id.
    public var id: String?
    /// The service's unique name.
    public var name: String?
    /// The `url` as written (it may hold credentials, e.g. `amqp://user:pass@host/vhost`).
    public var url: String?
    /// The protocol: from `protocol`, else from the url's scheme, else `http`.
    public var `protocol`: GatewayProtocol
    /// Upstream host name, IP address, or the name of an `upstreams` entry.
    public var host: String
    /// Upstream port: from `port`, else the url's, else the protocol's default.
    public var port: Int
    /// Path prefix sent upstream, if any.
    public var path: String?
    /// Milliseconds to establish the upstream connection (Kong default 60000).
    public var connectTimeout: Int
    /// Milliseconds between two successive reads from the upstream (Kong default 60000).
    public var readTimeout: Int
    /// Milliseconds between two successive writes to the upstream (Kong default 60000).
    public var writeTimeout: Int
    /// Retries on connection failure (Kong default 5).
    public var retries: Int
    /// Free-form tags.
    public var tags: [String]
    /// Whether the service is in use (Kong default true).
    public var enabled: Bool
    /// Kong's `tls_verify`, when given.
    public var tlsVerify: Bool?
    /// Kong's `tls_verify_depth`, when given.
    public var tlsVerifyDepth: Int?
    /// Kong's `ca_certificates` (ids), when given.
    public var caCertificates: [String]?
    /// Pasarela's AMQP settings; only for `amqp`/`amqps` services.
    public var amqp: AMQPServiceConfig?
    /// Where the service is declared.
    public var location: ConfigPath

    /// `protocol`, `host`, `port` and `path` exactly as written (not derived from `url`).
    public var declared: DeclaredEndpoint

    /// Routes and plugins nested in the service; moved out when the model is flattened.
    var nestedRoutes: [RouteConfig]
    var nestedPlugins: [PluginDeclaration]

    /// The service's endpoint fields as written in the file.
    public struct DeclaredEndpoint: Sendable, Hashable {
        /// `protocol`, if written.
        public var `protocol`: GatewayProtocol?
        /// `host`, if written.
        public var host: String?
        /// `port`, if written.
        public var port: Int?
        /// `path`, if written.
        public var path: String?
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, url, `protocol`, host, port, path, retries, tags, enabled, amqp, routes, plugins
        case connectTimeout = "connect_timeout"
        case readTimeout = "read_timeout"
        case writeTimeout = "write_timeout"
        case tlsVerify = "tls_verify"
        case tlsVerifyDepth = "tls_verify_depth"
        case caCertificates = "ca_certificates"
        case clientCertificate = "client_certificate"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        id = try c.optional(.id)
        name = try c.optional(.name)
        url = try c.optional(.url)
        declared = DeclaredEndpoint(
            protocol: try c.optional(.protocol),
            host: try c.optional(.host),
            port: try c.optional(.port),
            path: try c.optional(.path)
        )
        let parsed = url.flatMap { try? ServiceURL.parse($0).get() }
        `protocol` = declared.protocol ?? parsed?.protocol ?? .http
        host = declared.host ?? parsed?.host ?? ""
        port = declared.port ?? parsed?.port ?? `protocol`.defaultPort
        path = declared.path ?? parsed?.path
        connectTimeout = try c.value(.connectTimeout, or: 60_000)
        readTimeout = try c.value(.readTimeout, or: 60_000)
        writeTimeout = try c.value(.writeTimeout, or: 60_000)
        retries = try c.value(.retries, or: 5)
        tags = try c.value(.tags, or: [])
        enabled = try c.value(.enabled, or: true)
        tlsVerify = try c.optional(.tlsVerify)
        tlsVerifyDepth = try c.optional(.tlsVerifyDepth)
        caCertificates = try c.optional(.caCertificates)
        amqp = try c.optional(.amqp)
        nestedRoutes = try c.value(.routes, or: [])
        nestedPlugins = try c.value(.plugins, or: [])
        c.accept(.clientCertificate, .createdAt, .updatedAt)
    }
}

/// Pasarela's `amqp:` block on an `amqp`/`amqps` service: the request is published as a job.
public struct AMQPServiceConfig: Sendable, Hashable, Decodable {
    /// How the gateway answers: `async` (202 once the broker confirms) or `rpc` (the worker's reply).
    public enum Mode: String, ConfigEnum {
        case async, rpc
    }

    /// The exchange to publish to (`""` is the default exchange).
    public var exchange: String
    /// The routing key; required.
    public var routingKey: String?
    /// `async` (default) or `rpc`.
    public var mode: Mode
    /// Milliseconds to wait for an rpc reply before answering 504 (default 5000).
    public var replyTimeout: Int
    /// Milliseconds to wait for the broker's confirm before answering 503 (default 5000).
    public var confirmTimeout: Int
    /// Whether to declare the exchange and a durable queue bound to the key (default false).
    public var declare: Bool
    /// Where the block is declared.
    public var location: ConfigPath

    private enum CodingKeys: String, CodingKey {
        case exchange, mode, declare
        case routingKey = "routing_key"
        case replyTimeout = "reply_timeout"
        case confirmTimeout = "confirm_timeout"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        exchange = try c.value(.exchange, or: "")
        routingKey = try c.optional(.routingKey)
        mode = try c.value(.mode, or: .async)
        replyTimeout = try c.value(.replyTimeout, or: 5000)
        confirmTimeout = try c.value(.confirmTimeout, or: 5000)
        declare = try c.value(.declare, or: false)
    }
}
