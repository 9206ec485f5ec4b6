import Gateway

/// The `idempotency` plugin's configuration (Pasarela's own plugin; field names in Kong's style).
public struct IdempotencyConfig: PluginConfiguration {
    /// Where claims and responses are kept.
    public enum Policy: String, ConfigEnum {
        /// In the gateway process (lost on restart, not shared between processes).
        case local
        /// In Redis, shared by every gateway process that uses the same server and database.
        case redis
    }

    /// The request header carrying the key (default `Idempotency-Key`).
    public var headerName = "Idempotency-Key"
    /// Methods the plugin applies to (default `POST`, `PATCH`); others pass untouched.
    public var methods: [String] = ["POST", "PATCH"]
    /// Seconds a stored response is replayed for (default 86400, one day).
    public var ttl = 86_400
    /// Seconds a claim lasts while the first request runs (default 120): longer than the slowest
    /// request, short enough that a key held by a crashed gateway frees itself.
    public var lockTimeout = 120
    /// Largest request body, in bytes, that is read whole to be fingerprinted (default 1 MiB);
    /// a larger one with a key is refused with 413.
    public var maxRequestBodySize = 1024 * 1024
    /// Largest response body, in bytes, that is stored (default 1 MiB); a larger response is sent
    /// but not stored, and its key is released (a repeat runs again).
    public var maxResponseBodySize = 1024 * 1024
    /// Requests of the configured methods without the header are refused with 400 (default false).
    public var required = false
    /// `local` (default) or `redis`.
    public var policy: Policy = .local
    /// Redis settings (`policy: redis`), Kong's `redis:` block.
    public var redis = RedisConfig()
    /// A request header that narrows the scope within a consumer (default none): for one consumer
    /// shared by many end users, e.g. `X-User-Id` as set by jwt's `claims_to_headers`, so that two
    /// users of the same app never see each other's keys. Read after the authentication plugins ran.
    public var scopeHeader: String?
    /// When the store fails: `false` (default) answers 500, `true` lets the request run without
    /// idempotency (and logs it).
    public var faultTolerant = false

    enum CodingKeys: String, CodingKey {
        case methods, ttl, required, policy, redis
        case headerName = "header_name"
        case lockTimeout = "lock_timeout"
        case maxRequestBodySize = "max_request_body_size"
        case maxResponseBodySize = "max_response_body_size"
        case faultTolerant = "fault_tolerant"
        case scopeHeader = "scope_header"
    }

    /// The defaults.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        headerName = try c.value(.headerName, or: headerName)
        methods = try c.value(.methods, or: methods)
        ttl = try c.value(.ttl, or: ttl)
        lockTimeout = try c.value(.lockTimeout, or: lockTimeout)
        maxRequestBodySize = try c.value(.maxRequestBodySize, or: maxRequestBodySize)
        maxResponseBodySize = try c.value(.maxResponseBodySize, or: maxResponseBodySize)
        required = try c.value(.required, or: required)
        policy = try c.value(.policy, or: policy)
        redis = try c.value(.redis, or: redis)
        faultTolerant = try c.value(.faultTolerant, or: faultTolerant)
        scopeHeader = try c.optional(.scopeHeader)
    }

    public func validate(_ validator: inout PluginConfigValidator) {
        if !HeaderName.isValid(headerName) { validator.error("invalid header name \"\(headerName)\"", field: "header_name") }
        if methods.isEmpty { validator.error("must list at least one method", field: "methods") }
        for (index, method) in methods.enumerated() where method.isEmpty || method != method.uppercased() {
            validator.error("methods must be upper-case HTTP methods, found \"\(method)\" at index \(index)", field: "methods")
        }
        if ttl < 1 { validator.error("value must be greater than 0", field: "ttl") }
        if lockTimeout < 1 { validator.error("value must be greater than 0", field: "lock_timeout") }
        if maxRequestBodySize < 0 { validator.error("value must be greater than or equal to 0", field: "max_request_body_size") }
        if maxResponseBodySize < 0 {
            validator.error("value must be greater than or equal to 0", field: "max_response_body_size")
        }
        if let scopeHeader, !HeaderName.isValid(scopeHeader) {
            validator.error("invalid header name \"\(scopeHeader)\"", field: "scope_header")
        }
        if policy == .redis { redis.validate(&validator) }
    }
}
