/// The `pasarela:` block: process settings that Kong keeps in kong.conf.
public struct PasarelaSettings: Sendable, Hashable, Decodable {
    /// `HOST:PORT` the proxy listens on (default `0.0.0.0:8000`).
    public var proxyListen: String = "0.0.0.0:8000"
    /// `HOST:PORT` the admin API listens on (default `127.0.0.1:8001`); `off` disables it, as in Kong.
    public var adminListen: String = "127.0.0.1:8001"
    /// Bearer token for the admin API; empty (default) means loopback clients only.
    public var adminToken: String = ""
    /// How long shutdown waits for in-flight requests (default 10s).
    public var drainTimeout: ConfigDuration = .seconds(10)
    /// Addresses or CIDR ranges whose `X-Forwarded-*` / `X-Real-IP` are believed (default none).
    public var trustedIPs: [String] = []
    /// Time allowed to receive a request's headers (default 10s; then 408 or close).
    public var clientHeaderTimeout: ConfigDuration = .seconds(10)
    /// Time allowed between two reads of a request body (default 60s).
    public var clientBodyTimeout: ConfigDuration = .seconds(60)
    /// How long an idle keep-alive connection stays open (default 60s).
    public var keepaliveTimeout: ConfigDuration = .seconds(60)
    /// Largest request header block in bytes (default 32768; larger gets 431).
    public var maxHeaderSize: ConfigByteSize = ConfigByteSize(bytes: 32_768)
    /// Longest request line in bytes (default 8192; longer gets 414).
    public var maxRequestLine: ConfigByteSize = ConfigByteSize(bytes: 8192)
    /// Largest request body in bytes; 0 (default) means unlimited (larger gets 413).
    public var clientMaxBodySize: ConfigByteSize = ConfigByteSize(bytes: 0)
    /// CAs trusted by the gateway's own TLS clients (JWKS, Redis); kong.conf's name (default `system`).
    public var luaSSLTrustedCertificate = TrustedCertificates()
    /// Where the block is declared (the root when it is absent).
    public var location: ConfigPath = .root

    /// The defaults, as when the file has no `pasarela:` block.
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case proxyListen = "proxy_listen"
        case adminListen = "admin_listen"
        case adminToken = "admin_token"
        case drainTimeout = "drain_timeout"
        case trustedIPs = "trusted_ips"
        case clientHeaderTimeout = "client_header_timeout"
        case clientBodyTimeout = "client_body_timeout"
        case keepaliveTimeout = "keepalive_timeout"
        case maxHeaderSize = "max_header_size"
        case maxRequestLine = "max_request_line"
        case clientMaxBodySize = "client_max_body_size"
        case luaSSLTrustedCertificate = "lua_ssl_trusted_certificate"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        proxyListen = try c.value(.proxyListen, or: proxyListen)
        adminListen = try c.value(.adminListen, or: adminListen)
        adminToken = try c.value(.adminToken, or: adminToken)
        drainTimeout = try c.value(.drainTimeout, or: drainTimeout)
        trustedIPs = try c.value(.trustedIPs, or: trustedIPs)
        clientHeaderTimeout = try c.value(.clientHeaderTimeout, or: clientHeaderTimeout)
        clientBodyTimeout = try c.value(.clientBodyTimeout, or: clientBodyTimeout)
        keepaliveTimeout = try c.value(.keepaliveTimeout, or: keepaliveTimeout)
        maxHeaderSize = try c.value(.maxHeaderSize, or: maxHeaderSize)
        maxRequestLine = try c.value(.maxRequestLine, or: maxRequestLine)
        clientMaxBodySize = try c.value(.clientMaxBodySize, or: clientMaxBodySize)
        luaSSLTrustedCertificate = try c.value(.luaSSLTrustedCertificate, or: luaSSLTrustedCertificate)
    }
}
