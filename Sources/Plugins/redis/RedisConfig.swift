import Gateway

/// Kong's shared `redis:` block (kong/tools/redis/schema.lua): where the counters or records live.
public struct RedisConfig: PluginConfiguration, Hashable {
    /// Host name or address (required when a plugin's `policy` is `redis`).
    public var host: String?
    /// TCP port (default 6379).
    public var port: Int = 6379
    /// Connect and command timeout in milliseconds (default 2000).
    public var timeout: Int = 2000
    /// ACL user name (Redis 6+); only sent with a password.
    public var username: String?
    /// Password; when set, connections authenticate with `AUTH`.
    public var password: String?
    /// Database number (default 0), chosen with `SELECT`.
    public var database: Int = 0
    /// TLS to Redis (default false).
    public var ssl: Bool = false
    /// Verify the server certificate against `lua_ssl_trusted_certificate` (TLS only; default false,
    /// as in Kong).
    public var sslVerify: Bool = false
    /// SNI name (TLS only).
    public var serverName: String?

    enum CodingKeys: String, CodingKey {
        case host, port, timeout, username, password, database, ssl
        case sslVerify = "ssl_verify"
        case serverName = "server_name"
    }

    /// Kong's defaults.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.optional(.host)
        port = try container.value(.port, or: port)
        timeout = try container.value(.timeout, or: timeout)
        username = try container.optional(.username)
        password = try container.optional(.password)
        database = try container.value(.database, or: database)
        ssl = try container.value(.ssl, or: ssl)
        sslVerify = try container.value(.sslVerify, or: sslVerify)
        serverName = try container.optional(.serverName)
    }

    /// Checks the block for a plugin that uses it; `prefix` is where the fields are (`redis.` for
    /// the nested block) so that messages point at the right line.
    public func validate(_ validator: inout PluginConfigValidator, prefix: String = "redis.") {
        if host?.isEmpty ?? true { validator.error("required field missing", field: prefix + "host") }
        if !(1...65535).contains(port) { validator.error("value should be between 1 and 65535", field: prefix + "port") }
        if !(0...2_147_483_646).contains(timeout) {
            validator.error("value should be between 0 and 2147483646", field: prefix + "timeout")
        }
        if database < 0 { validator.error("value must be greater than or equal to 0", field: prefix + "database") }
    }

    /// Identifies a server and database (not the credentials), e.g. `127.0.0.1:6379/0`.
    public var endpointDescription: String { "\(host ?? "?"):\(port)/\(database)" }
}
