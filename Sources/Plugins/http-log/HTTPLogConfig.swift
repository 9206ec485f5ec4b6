import Gateway

/// Kong's `http-log` configuration (3.x), with its `queue` block.
public struct HTTPLogConfig: PluginConfiguration, Hashable {
    /// The methods Kong allows.
    public enum Method: String, ConfigEnum {
        case POST, PUT, PATCH
    }

    /// The content types Kong allows.
    public enum ContentType: String, ConfigEnum {
        case json = "application/json"
        case jsonUTF8 = "application/json; charset=utf-8"
    }

    /// Kong's queue settings: how entries are batched and how long a batch is retried.
    public struct Queue: Decodable, Sendable, Hashable {
        /// Entries per request: 1 sends one JSON object, more send a JSON array.
        public var maxBatchSize = 1
        /// Seconds to wait for a batch to fill before sending what there is.
        public var maxCoalescingDelay = 1.0
        /// Entries held at most; beyond, new entries are dropped (and logged).
        public var maxEntries = 10_000
        /// Bytes held at most (nil: no limit).
        public var maxBytes: Int?
        /// Seconds a batch is retried before it is dropped.
        public var maxRetryTime = 60.0
        /// Seconds before the first retry (doubling each time).
        public var initialRetryDelay = 0.01
        /// Longest wait between retries, in seconds.
        public var maxRetryDelay = 60.0
        /// 1: one batch at a time; -1: batches sent concurrently.
        public var concurrencyLimit = 1

        enum CodingKeys: String, CodingKey {
            case maxBatchSize = "max_batch_size"
            case maxCoalescingDelay = "max_coalescing_delay"
            case maxEntries = "max_entries"
            case maxBytes = "max_bytes"
            case maxRetryTime = "max_retry_time"
            case initialRetryDelay = "initial_retry_delay"
            case maxRetryDelay = "max_retry_delay"
            case concurrencyLimit = "concurrency_limit"
        }

        /// Kong's defaults.
        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxBatchSize = try c.value(.maxBatchSize, or: maxBatchSize)
            maxCoalescingDelay = try c.value(.maxCoalescingDelay, or: maxCoalescingDelay)
            maxEntries = try c.value(.maxEntries, or: maxEntries)
            maxBytes = try c.optional(.maxBytes)
            maxRetryTime = try c.value(.maxRetryTime, or: maxRetryTime)
            initialRetryDelay = try c.value(.initialRetryDelay, or: initialRetryDelay)
            maxRetryDelay = try c.value(.maxRetryDelay, or: maxRetryDelay)
            concurrencyLimit = try c.value(.concurrencyLimit, or: concurrencyLimit)
        }
    }

    /// Where entries are sent (required); `user:password@` in it becomes Basic authorization.
    public var httpEndpoint: String?
    public var method: Method = .POST
    public var contentType: ContentType = .json
    /// Milliseconds a request to the endpoint may take.
    public var timeout = 10_000.0
    /// Kong's idle keep-alive for its connections, in milliseconds: accepted; Pasarela opens one
    /// connection per batch.
    public var keepalive = 60_000.0
    /// Extra request headers.
    public var headers: [String: String] = [:]
    public var queue = Queue()
    /// Deprecated in Kong 3 (ignored there too): accepted so that older exports load.
    public var retryCount: Int?
    /// Deprecated in Kong 3 for `queue.max_batch_size`, which it sets when given.
    public var queueSize: Int?
    /// Deprecated in Kong 3 for `queue.max_coalescing_delay`, which it sets when given.
    public var flushTimeout: Double?
    /// Kong's Lua snippets: only an empty map is accepted.
    public var customFieldsByLua: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case httpEndpoint = "http_endpoint"
        case method
        case contentType = "content_type"
        case timeout, keepalive, headers, queue
        case retryCount = "retry_count"
        case queueSize = "queue_size"
        case flushTimeout = "flush_timeout"
        case customFieldsByLua = "custom_fields_by_lua"
    }

    /// Kong's defaults (no endpoint yet).
    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        httpEndpoint = try c.optional(.httpEndpoint)
        method = try c.value(.method, or: method)
        contentType = try c.value(.contentType, or: contentType)
        timeout = try c.value(.timeout, or: timeout)
        keepalive = try c.value(.keepalive, or: keepalive)
        headers = try c.value(.headers, or: [:])
        queue = try c.value(.queue, or: queue)
        retryCount = try c.optional(.retryCount)
        queueSize = try c.optional(.queueSize)
        flushTimeout = try c.optional(.flushTimeout)
        customFieldsByLua = try c.value(.customFieldsByLua, or: [:])
        if let queueSize, queueSize > 0 { queue.maxBatchSize = queueSize }
        if let flushTimeout, flushTimeout >= 0 { queue.maxCoalescingDelay = flushTimeout }
    }

    public func validate(_ validator: inout PluginConfigValidator) {
        if let httpEndpoint {
            do {
                _ = try OutboundEndpoint(httpEndpoint)
            } catch {
                validator.error("missing host in url, or not an http(s) URL", field: "http_endpoint")
            }
        } else {
            validator.error("required field missing", field: "http_endpoint")
        }
        if timeout <= 0 { validator.error("value must be greater than 0", field: "timeout") }
        for name in headers.keys.sorted() where !HeaderName.isValid(name) {
            validator.error("bad header name '\(name)'", field: "headers")
        }
        if !(1...1_000_000).contains(queue.maxBatchSize) {
            validator.error("value should be between 1 and 1000000", field: "queue.max_batch_size")
        }
        if !(0...3600).contains(queue.maxCoalescingDelay) {
            validator.error("value should be between 0 and 3600", field: "queue.max_coalescing_delay")
        }
        if queue.maxEntries < 1 { validator.error("value must be greater than 0", field: "queue.max_entries") }
        if queue.concurrencyLimit != 1 && queue.concurrencyLimit != -1 {
            validator.error("expected one of: -1, 1", field: "queue.concurrency_limit")
        }
        if queue.initialRetryDelay <= 0 || queue.maxRetryDelay <= 0 || queue.maxRetryTime < 0 {
            validator.error("retry delays must be greater than 0", field: "queue")
        }
        LuaFields.reject(customFieldsByLua, in: &validator)
    }
}
