import CoreMetrics
import Crypto
import Foundation
import Gateway
import Logging
import NIOCore
import NIOHTTP1

/// Pasarela's `idempotency`: a `POST`/`PATCH` carrying an `Idempotency-Key` runs once; repeats get
/// the first response back, marked `Idempotent-Replayed: true`, and never reach the destination.
///
/// - Scope: keys belong to the authenticated consumer; requests without one (or with the shared
///   anonymous consumer) are scoped by client IP, so one client can never read another's responses.
///   Keys are also scoped, as rate-limiting counters are, by the route and service the plugin is
///   attached to.
/// - A repeat while the first is still running: `409`. The same key with a different request
///   (method, path, query or body, compared by SHA-256): `422`.
/// - Stored: the first response whose status is below 500, whatever produced it (an upstream, the
///   AMQP bridge's `202 {"job_id"}`, a later plugin), up to `max_response_body_size`. A 5xx or a
///   larger response is sent but not stored, and the key is released, so a retry runs again; a
///   response that broke off midway releases the key too.
/// - The request body is read whole (up to `max_request_body_size`, else `413`) only for requests
///   that carry a key; every other request keeps the streaming path. The response is recorded by a
///   ``ResponseObserver`` as it streams: never held back or changed.
public struct IdempotencyPlugin: ConfigurablePlugin {
    public static let name = "idempotency"
    /// After authentication, acl, request-size-limiting and rate-limiting; before the transformers
    /// (so the fingerprint is of the client's request).
    public static let priority = 850

    let config: IdempotencyConfig
    let methods: Set<String>
    let scope: String
    let store: Store
    let logger: Logger
    /// `pasarela_fail_open_total{plugin}`: requests let through unprotected because the store failed
    /// (`fault_tolerant`), so that a dashboard sees what the log says.
    let failOpen: Counter

    enum Store {
        case memory(IdempotencyMemoryStore)
        case redis(IdempotencyRedisStore)
    }

    public init(configuration: IdempotencyConfig, context: PluginBuildContext) throws {
        config = configuration
        methods = Set(configuration.methods)
        scope =
            "\(context.scopeRouteID ?? RateLimitingPlugin.emptyUUID):\(context.scopeServiceID ?? RateLimitingPlugin.emptyUUID)"
        logger = context.logger
        failOpen = Counter(
            label: "pasarela_fail_open_total",
            dimensions: [("plugin", Self.name)],
            factory: context.shared.metrics
        )
        switch configuration.policy {
        case .local:
            store = .memory(context.shared.object("idempotency.memory") { IdempotencyMemoryStore() })
        case .redis:
            let client = try RedisClient.shared(
                configuration.redis,
                trusted: context.config.settings.luaSSLTrustedCertificate,
                in: context.shared
            )
            store = .redis(IdempotencyRedisStore(client: client))
        }
    }

    public var runsOnPreflight: Bool { false }

    /// The body is fingerprinted whole, so it is read only for requests this plugin will claim a key
    /// for: the configured methods with a well-formed key. Every other request keeps streaming.
    public func requestBodyBufferLimit(_ context: RequestContext) -> Int? {
        guard methods.contains(context.method.rawValue), let key = context.requestHeaders.first(name: config.headerName),
            Self.isWellFormed(key)
        else { return nil }
        return config.maxRequestBodySize
    }

    public func access(_ context: RequestContext) -> AccessStep {
        guard methods.contains(context.method.rawValue) else { return .proceed }
        guard let key = context.requestHeaders.first(name: config.headerName) else {
            return config.required ? .respond(.message(.badRequest, "\(config.headerName) header is required")) : .proceed
        }
        guard Self.isWellFormed(key) else {
            return .respond(.message(.badRequest, "\(config.headerName) must be between 1 and 255 characters"))
        }
        // Read by the gateway before this phase, as asked for by ``requestBodyBufferLimit(_:)``.
        guard let body = context.requestBody else {
            return .respond(.message(.internalServerError, "An unexpected error occurred"))
        }
        let fingerprint = Self.fingerprint(context, body: body)
        let storeKey = "idempotency:\(scope):\(Self.subject(of: context, scopeHeader: config.scopeHeader)):\(key)"
        let token = UUID().uuidString
        let now = Self.nowMillis()
        let lockTTL = Int64(config.lockTimeout) * 1000
        switch store {
        case .memory(let memory):
            let claim = memory.claim(storeKey, fingerprint: fingerprint, token: token, lockTTL: lockTTL, now: now)
            return answer(claim, key: storeKey, fingerprint: fingerprint, context: context)
        case .redis(let redis):
            let claimed = redis.claim(storeKey, fingerprint: fingerprint, token: token, lockTTL: lockTTL, on: context.eventLoop)
            let decided = claimed.assumeIsolated().map { claim -> AccessDecision in
                switch answer(claim, key: storeKey, fingerprint: fingerprint, context: context) {
                case .respond(let response): return .respond(response)
                default: return .proceed
                }
            }.flatMapErrorThrowing { [config, logger, failOpen] error -> AccessDecision in
                guard config.faultTolerant else { throw error }
                failOpen.increment()
                logger.error(
                    "idempotency: store unavailable, running the request without idempotency (fault_tolerant)",
                    metadata: ["error": "\(error)", "request_id": "\(context.requestID)"]
                )
                return .proceed
            }
            return .wait(decided.nonisolated())
        }
    }

    /// Turns a claim into the access step; a claimed key starts recording the response.
    func answer(_ claim: IdempotencyClaim, key: String, fingerprint: String, context: RequestContext) -> AccessStep {
        switch claim {
        case .claimed(let token):
            let recorder = ResponseRecorder(plugin: self, key: key, fingerprint: fingerprint, token: token)
            context[ResponseRecorder.Key.self] = recorder
            context.observeResponse(recorder)
            return .proceed
        case .inFlight:
            return .respond(
                .message(
                    .conflict,
                    "A request with this \(config.headerName) is still being processed",
                    headers: ["Retry-After": "1"]
                )
            )
        case .mismatch:
            return .respond(
                .message(.unprocessableEntity, "This \(config.headerName) was already used with a different request")
            )
        case .replay(let record):
            return .respond(record.replay)
        }
    }

    /// A response that broke off (or never came) gives the key back.
    public func log(_ context: RequestContext) {
        guard let recorder = context[ResponseRecorder.Key.self], !recorder.isSettled else { return }
        recorder.release(on: context.eventLoop)
    }

    /// Keys of 1 to 255 bytes are accepted.
    static func isWellFormed(_ key: String) -> Bool { (1...255).contains(key.utf8.count) }

    /// Whose key it is: the consumer, or the client IP for anonymous requests.
    /// Within a consumer, narrowed by `scopeHeader`'s value when configured (a missing header is a
    /// scope of its own, never another user's).
    static func subject(of context: RequestContext, scopeHeader: String? = nil) -> String {
        let base: String
        if let consumer = context.consumer, !context.isAnonymous {
            base = "consumer:\(consumer.id)"
        } else {
            base = "ip:\(context.clientIP)"
        }
        guard let scopeHeader else { return base }
        let value = context.requestHeaders.first(name: scopeHeader) ?? ""
        // Percent-encoded so that a value can never forge the separators of the store key.
        let safe = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "\(base):\(scopeHeader.lowercased())=\(safe)"
    }

    /// SHA-256 (swift-crypto) of the method, path, query and body, in hex.
    static func fingerprint(_ context: RequestContext, body: ByteBuffer) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(context.method.rawValue.utf8))
        hasher.update(data: [0])
        hasher.update(data: Array(context.path.utf8))
        hasher.update(data: [0])
        hasher.update(data: Array((context.query ?? "").utf8))
        hasher.update(data: [0])
        body.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize().map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined()
    }

    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// Records the response of a claimed request and stores it when it is complete.
final class ResponseRecorder: ResponseObserver {
    enum Key: RequestStorageKey {
        typealias Value = ResponseRecorder
    }

    let plugin: IdempotencyPlugin
    let key: String
    let fingerprint: String
    let token: String
    private var status = 0
    private var headers: [(String, String)] = []
    private var body = ByteBuffer()
    private var tooLarge = false
    /// The claim was completed or released.
    private(set) var isSettled = false

    init(plugin: IdempotencyPlugin, key: String, fingerprint: String, token: String) {
        self.plugin = plugin
        self.key = key
        self.fingerprint = fingerprint
        self.token = token
    }

    func responseHead(_ head: HTTPResponseHead, context: RequestContext) {
        status = Int(head.status.code)
        headers = head.headers.map { ($0.name, $0.value) }
    }

    func responseBody(_ chunk: ByteBuffer, context: RequestContext) {
        guard !tooLarge else { return }
        if body.readableBytes + chunk.readableBytes > plugin.config.maxResponseBodySize {
            tooLarge = true
            body = ByteBuffer()
            return
        }
        body.writeImmutableBuffer(chunk)
    }

    func responseEnd(context: RequestContext) {
        guard !isSettled else { return }
        guard status < 500, !tooLarge else {
            if tooLarge {
                plugin.logger.warning(
                    "idempotency: response larger than max_response_body_size is not stored",
                    metadata: ["request_id": "\(context.requestID)"]
                )
            }
            release(on: context.eventLoop)
            return
        }
        isSettled = true
        let record = IdempotencyRecord(status: status, headers: headers, body: body)
        let ttl = Int64(plugin.config.ttl) * 1000
        switch plugin.store {
        case .memory(let memory):
            let stored = memory.complete(key, token: token, record: record, ttl: ttl, now: IdempotencyPlugin.nowMillis())
            if !stored {
                plugin.logger.warning(
                    "idempotency: response not stored (memory limit reached or claim expired)",
                    metadata: ["request_id": "\(context.requestID)"]
                )
            }
        case .redis(let redis):
            let logger = plugin.logger
            let requestID = context.requestID
            redis.complete(key, fingerprint: fingerprint, token: token, record: record, ttl: ttl, on: context.eventLoop)
                .whenComplete { result in
                    if case .success(true) = result { return }
                    logger.warning(
                        "idempotency: response not stored in Redis",
                        metadata: ["request_id": "\(requestID)", "result": "\(result)"]
                    )
                }
        }
    }

    /// Gives the key back so that a retry runs.
    func release(on loop: any EventLoop) {
        guard !isSettled else { return }
        isSettled = true
        switch plugin.store {
        case .memory(let memory):
            memory.release(key, token: token)
        case .redis(let redis):
            let logger = plugin.logger
            redis.release(key, fingerprint: fingerprint, token: token, on: loop).whenFailure { error in
                logger.warning("idempotency: releasing a key in Redis failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
