/// A Kong upstream: a named, load-balanced set of targets that a service's `host` can name.
public struct UpstreamConfig: Sendable, Hashable, Decodable {
    /// How a target is picked.
    public enum Algorithm: String, ConfigEnum {
        case roundRobin = "round-robin"
        case leastConnections = "least-connections"
        case consistentHashing = "consistent-hashing"
        case latency
    }

    /// What consistent hashing hashes on.
    public enum HashInput: String, ConfigEnum {
        case none, consumer, ip, header, cookie, path
        case queryArg = "query_arg"
        case uriCapture = "uri_capture"
    }

    /// Kong's optional entity id.
    public var id: String?
    /// The upstream's name, which services use as their `host`.
    public var name: String
    /// Balancing algorithm (default `round-robin`).
    public var algorithm: Algorithm
    /// Primary hash input (default `none`).
    public var hashOn: HashInput
    /// Hash input when the primary one is missing (default `none`).
    public var hashFallback: HashInput
    /// Header for `hash_on: header`.
    public var hashOnHeader: String?
    /// Header for `hash_fallback: header`.
    public var hashFallbackHeader: String?
    /// Cookie for `hash_on: cookie`.
    public var hashOnCookie: String?
    /// Path of the cookie set for `hash_on: cookie` (default `/`).
    public var hashOnCookiePath: String
    /// Query argument for `hash_on: query_arg`.
    public var hashOnQueryArg: String?
    /// Query argument for `hash_fallback: query_arg`.
    public var hashFallbackQueryArg: String?
    /// Route capture for `hash_on: uri_capture`.
    public var hashOnURICapture: String?
    /// Route capture for `hash_fallback: uri_capture`.
    public var hashFallbackURICapture: String?
    /// Size of the hashing ring (default 10000, 10...65536).
    public var slots: Int
    /// Active and passive health checks.
    public var healthchecks: HealthchecksConfig
    /// `Host` header to send to targets, if set.
    public var hostHeader: String?
    /// Kong's `use_srv_name` (default false).
    public var useSrvName: Bool
    /// Free-form tags.
    public var tags: [String]
    /// The targets, nested and flat alike once the model is flattened.
    public var targets: [TargetConfig]
    /// Where the upstream is declared.
    public var location: ConfigPath

    private enum CodingKeys: String, CodingKey {
        case id, name, algorithm, slots, healthchecks, tags, targets
        case hashOn = "hash_on"
        case hashFallback = "hash_fallback"
        case hashOnHeader = "hash_on_header"
        case hashFallbackHeader = "hash_fallback_header"
        case hashOnCookie = "hash_on_cookie"
        case hashOnCookiePath = "hash_on_cookie_path"
        case hashOnQueryArg = "hash_on_query_arg"
        case hashFallbackQueryArg = "hash_fallback_query_arg"
        case hashOnURICapture = "hash_on_uri_capture"
        case hashFallbackURICapture = "hash_fallback_uri_capture"
        case hostHeader = "host_header"
        case useSrvName = "use_srv_name"
        case clientCertificate = "client_certificate"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        id = try c.optional(.id)
        name = try c.decode(String.self, forKey: .name)
        algorithm = try c.value(.algorithm, or: .roundRobin)
        hashOn = try c.value(.hashOn, or: HashInput.none)
        hashFallback = try c.value(.hashFallback, or: HashInput.none)
        hashOnHeader = try c.optional(.hashOnHeader)
        hashFallbackHeader = try c.optional(.hashFallbackHeader)
        hashOnCookie = try c.optional(.hashOnCookie)
        hashOnCookiePath = try c.value(.hashOnCookiePath, or: "/")
        hashOnQueryArg = try c.optional(.hashOnQueryArg)
        hashFallbackQueryArg = try c.optional(.hashFallbackQueryArg)
        hashOnURICapture = try c.optional(.hashOnURICapture)
        hashFallbackURICapture = try c.optional(.hashFallbackURICapture)
        slots = try c.value(.slots, or: 10_000)
        healthchecks = try c.value(.healthchecks, or: HealthchecksConfig())
        hostHeader = try c.optional(.hostHeader)
        useSrvName = try c.value(.useSrvName, or: false)
        tags = try c.value(.tags, or: [])
        targets = try c.value(.targets, or: [])
        c.accept(.clientCertificate, .createdAt, .updatedAt)
    }
}

/// One target of an upstream: `host:port` (Kong's default port is 8000) and a weight.
public struct TargetConfig: Sendable, Hashable, Decodable {
    /// Kong's optional entity id.
    public var id: String?
    /// `host:port`, `host`, `ip:port` or `[ipv6]:port` as written.
    public var target: String
    /// Relative share of traffic, 0...65535 (default 100; 0 takes the target out).
    public var weight: Int
    /// Free-form tags.
    public var tags: [String]
    /// The upstream named in the flat form (`upstream: name`), as written.
    public var upstream: EntityReference?
    /// Where the target is declared.
    public var location: ConfigPath

    private enum CodingKeys: String, CodingKey {
        case id, target, weight, tags, upstream
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        id = try c.optional(.id)
        target = try c.decode(String.self, forKey: .target)
        weight = try c.value(.weight, or: 100)
        tags = try c.value(.tags, or: [])
        upstream = try c.optional(.upstream)
        c.accept(.createdAt, .updatedAt)
    }

    /// The host and port, with Kong's default port 8000 when none is written; `nil` when
    /// `target` is not a valid `host[:port]`.
    public var endpoint: HostPort? {
        HostPort.parse(target, defaultPort: 8000)
    }
}
