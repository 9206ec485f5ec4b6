import Gateway

/// Kong's `rate-limiting` configuration (kong/plugins/rate-limiting/schema.lua), with the Redis
/// settings both as Kong 3.x's nested `redis:` block and as the older flat `redis_*` fields.
public struct RateLimitingConfig: PluginConfiguration {
    /// What the counters aggregate on.
    public enum LimitBy: String, ConfigEnum {
        /// The authenticated consumer (or, without one, its credential).
        case consumer
        /// The authenticating credential.
        case credential
        /// The client IP.
        case ip
        /// The matched service.
        case service
        /// The value of `header_name`.
        case header
        /// The request path, when it equals `path`.
        case path
    }

    /// Where the counters live.
    public enum Policy: String, ConfigEnum {
        /// In the gateway process (exact, not shared between processes).
        case local
        /// In Redis, shared by every gateway process that uses the same server and database.
        case redis
    }

    /// Requests per second, minute, hour, day, month and year (at least one is required).
    public var second: Double?
    public var minute: Double?
    public var hour: Double?
    public var day: Double?
    public var month: Double?
    public var year: Double?
    /// What the limits count (default `consumer`); a missing identifier falls back to the client IP.
    public var limitBy: LimitBy = .consumer
    /// The header whose value identifies the client (`limit_by: header`).
    public var headerName: String?
    /// The path counted (`limit_by: path`).
    public var path: String?
    /// `local` (default) or `redis`.
    public var policy: Policy = .local
    /// When the data store fails: `true` (default) lets requests through, `false` answers 500.
    public var faultTolerant: Bool = true
    /// Redis settings (`policy: redis`).
    public var redis = RedisConfig()
    /// Hide the `X-RateLimit-*`, `RateLimit-*` and `Retry-After` headers.
    public var hideClientHeaders: Bool = false
    /// Status of the refusal (default 429).
    public var errorCode: Int = 429
    /// Message of the refusal (default `API rate limit exceeded`).
    public var errorMessage: String = "API rate limit exceeded"
    /// Kong's Redis batching interval; Pasarela always counts in real time (`-1`).
    public var syncRate: Double = -1

    /// Flat `redis_*` fields that were given (Kong's deprecated shorthands), for their warnings.
    var legacyRedisFields: [String] = []

    enum CodingKeys: String, CodingKey {
        case second, minute, hour, day, month, year, path, policy, redis
        case limitBy = "limit_by"
        case headerName = "header_name"
        case faultTolerant = "fault_tolerant"
        case hideClientHeaders = "hide_client_headers"
        case errorCode = "error_code"
        case errorMessage = "error_message"
        case syncRate = "sync_rate"
        case redisHost = "redis_host"
        case redisPort = "redis_port"
        case redisPassword = "redis_password"
        case redisUsername = "redis_username"
        case redisSSL = "redis_ssl"
        case redisSSLVerify = "redis_ssl_verify"
        case redisServerName = "redis_server_name"
        case redisTimeout = "redis_timeout"
        case redisDatabase = "redis_database"
    }

    /// Kong's defaults (no limit set: not valid until one is).
    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        second = try c.optional(.second)
        minute = try c.optional(.minute)
        hour = try c.optional(.hour)
        day = try c.optional(.day)
        month = try c.optional(.month)
        year = try c.optional(.year)
        limitBy = try c.value(.limitBy, or: limitBy)
        headerName = try c.optional(.headerName)
        path = try c.optional(.path)
        policy = try c.value(.policy, or: policy)
        faultTolerant = try c.value(.faultTolerant, or: faultTolerant)
        redis = try c.value(.redis, or: redis)
        hideClientHeaders = try c.value(.hideClientHeaders, or: hideClientHeaders)
        errorCode = try c.value(.errorCode, or: errorCode)
        errorMessage = try c.value(.errorMessage, or: errorMessage)
        syncRate = try c.value(.syncRate, or: syncRate)

        // Kong's shorthand fields write into the nested block (and win over it).
        func legacy<T: Decodable>(_ key: CodingKeys, _ type: T.Type, _ apply: (T) -> Void) throws {
            guard let value = try c.decodeIfPresent(type, forKey: key) else { return }
            legacyRedisFields.append(key.stringValue)
            apply(value)
        }
        var nested = redis
        try legacy(.redisHost, String.self) { nested.host = $0 }
        try legacy(.redisPort, Int.self) { nested.port = $0 }
        try legacy(.redisPassword, String.self) { nested.password = $0 }
        try legacy(.redisUsername, String.self) { nested.username = $0 }
        try legacy(.redisSSL, Bool.self) { nested.ssl = $0 }
        try legacy(.redisSSLVerify, Bool.self) { nested.sslVerify = $0 }
        try legacy(.redisServerName, String.self) { nested.serverName = $0 }
        try legacy(.redisTimeout, Int.self) { nested.timeout = $0 }
        try legacy(.redisDatabase, Int.self) { nested.database = $0 }
        redis = nested
    }

    /// The configured limits, shortest window first (non-integral values are rounded up, as Kong's
    /// `limit - usage <= 0` test effectively does).
    public var limits: [RateLimit] {
        let values: [(RateWindow, Double?)] = [
            (.second, second), (.minute, minute), (.hour, hour), (.day, day), (.month, month), (.year, year),
        ]
        return values.compactMap { window, value in
            guard let value, value > 0, value < Double(Int.max) else { return nil }
            return RateLimit(window, Int(value.rounded(.up)))
        }
    }

    public func validate(_ validator: inout PluginConfigValidator) {
        let values: [(RateWindow, Double?)] = [
            (.second, second), (.minute, minute), (.hour, hour), (.day, day), (.month, month), (.year, year),
        ]
        for (window, value) in values {
            if let value, !(value > 0) { validator.error("value must be greater than 0", field: window.rawValue) }
        }
        if values.allSatisfy({ $0.1 == nil }) {
            validator.error(
                "at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', "
                    + "'config.day', 'config.month', 'config.year'"
            )
        }
        // Kong's custom validator: a longer window may not allow fewer requests than a shorter one.
        outer: for (index, lower) in values.enumerated() {
            guard let lowerValue = lower.1 else { continue }
            for upper in values[(index + 1)...] {
                if let upperValue = upper.1, upperValue < lowerValue {
                    validator.error(
                        "The limit for \(upper.0.rawValue)(\(Self.oneDecimal(upperValue))) cannot be lower than the limit for "
                            + "\(lower.0.rawValue)(\(Self.oneDecimal(lowerValue)))"
                    )
                    break outer
                }
            }
        }
        switch limitBy {
        case .header where headerName?.isEmpty ?? true:
            validator.error("required field missing", field: "header_name")
        case .path where path?.isEmpty ?? true:
            validator.error("required field missing", field: "path")
        default: break
        }
        if let headerName, !HeaderName.isValid(headerName) {
            validator.error("invalid header name \"\(headerName)\"", field: "header_name")
        }
        if let path, !path.hasPrefix("/") { validator.error("should start with: /", field: "path") }
        if !(100...599).contains(errorCode) { validator.error("value should be between 100 and 599", field: "error_code") }
        if policy != .redis, syncRate != -1 {
            validator.error("sync_rate can only be used with the redis policy")
        }
        if policy == .redis {
            if syncRate != -1, syncRate < 0.02 {
                validator.error("sync_rate must be greater than 0.02, or -1 to disable")
            } else if syncRate != -1 {
                validator.warning(
                    "Pasarela counts every request in Redis as it happens; sync_rate is ignored",
                    field: "sync_rate"
                )
            }
            let nestedGiven = validator.node["redis"] != nil
            redis.validate(&validator, prefix: nestedGiven || legacyRedisFields.isEmpty ? "redis." : "redis_")
        }
        for field in legacyRedisFields {
            let name = field.dropFirst("redis_".count)
            validator.warning(
                "rate-limiting: config.\(field) is deprecated, please use config.redis.\(name) instead",
                field: field
            )
        }
    }

    /// `%.1f`, as Kong formats limits in its messages.
    static func oneDecimal(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        let whole = Int(tenths / 10)
        let fraction = Int(abs(tenths.truncatingRemainder(dividingBy: 10)))
        return "\(whole).\(fraction)"
    }
}
