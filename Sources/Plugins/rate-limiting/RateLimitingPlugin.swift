import CoreMetrics
import Foundation
import Gateway
import Logging
import NIOCore
import NIOHTTP1

/// Kong's `rate-limiting`: counts requests per fixed UTC window (second to year) and identifier, and
/// refuses them once a window's limit is reached (429 `API rate limit exceeded` by default), with
/// Kong's `X-RateLimit-*` / `RateLimit-*` / `Retry-After` headers.
///
/// Counters are keyed as Kong keys them, by the route and service the plugin is attached to (the
/// zero UUID when it is not) and the identifier: a global instance counts a consumer across every
/// route, a service instance across the service's routes. Unlike Kong, checking and counting are
/// one atomic step, so concurrency never lets more requests through than the limit.
public struct RateLimitingPlugin: ConfigurablePlugin {
    public static let name = "rate-limiting"
    public static let priority = 910

    static let emptyUUID = "00000000-0000-0000-0000-000000000000"

    let config: RateLimitingConfig
    let limits: [RateLimit]
    /// `<route id>:<service id>` of the instance's attachment, as in Kong's keys.
    let scope: String
    let store: Store
    let logger: Logger
    /// `pasarela_fail_open_total{plugin}`: requests let through unprotected because the store failed
    /// (`fault_tolerant`), so that a dashboard sees what the log says.
    let failOpen: Counter

    enum Store {
        case local(LocalRateCounters)
        case redis(RedisRateCounters)
    }

    public init(configuration: RateLimitingConfig, context: PluginBuildContext) throws {
        config = configuration
        limits = configuration.limits
        scope = "\(context.scopeRouteID ?? Self.emptyUUID):\(context.scopeServiceID ?? Self.emptyUUID)"
        logger = context.logger
        failOpen = Counter(
            label: "pasarela_fail_open_total",
            dimensions: [("plugin", Self.name)],
            factory: context.shared.metrics
        )
        switch configuration.policy {
        case .local:
            store = .local(context.shared.object("rate-limiting.local") { LocalRateCounters() })
        case .redis:
            let client = try RedisClient.shared(
                configuration.redis,
                trusted: context.config.settings.luaSSLTrustedCertificate,
                in: context.shared
            )
            store = .redis(RedisRateCounters(client: client))
        }
    }

    public func access(_ context: RequestContext) -> AccessStep {
        let now = Self.nowMillis()
        let identifier = identifier(of: context)
        switch store {
        case .local(let counters):
            let decision = counters.acquire(scope: scope, identifier: identifier, limits: limits, now: now)
            return apply(decision, now: now, to: context)
        case .redis(let counters):
            let future = counters.acquire(
                scope: scope,
                identifier: identifier,
                limits: limits,
                now: now,
                on: context.eventLoop
            )
            let decided = future.assumeIsolated().map { decision -> AccessDecision in
                switch apply(decision, now: now, to: context) {
                case .respond(let response): return .respond(response)
                default: return .proceed
                }
            }.flatMapErrorThrowing { [config, logger, failOpen] error -> AccessDecision in
                guard config.faultTolerant else { throw error }
                failOpen.increment()
                logger.error(
                    "rate-limiting: failed to get usage, letting the request through (fault_tolerant)",
                    metadata: ["error": "\(error)", "request_id": "\(context.requestID)"]
                )
                return .proceed
            }
            return .wait(decided.nonisolated())
        }
    }

    /// Kong's identifier for `limit_by`, falling back to the client IP when it is missing.
    func identifier(of context: RequestContext) -> String {
        let identifier: String?
        switch config.limitBy {
        case .consumer: identifier = context.consumer?.id ?? context.credentialIdentifier
        case .credential: identifier = context.credentialIdentifier
        case .ip: identifier = nil
        case .service: identifier = context.route?.service?.id
        case .header: identifier = config.headerName.flatMap { context.requestHeaders.first(name: $0) }
        case .path: identifier = context.path == config.path ? config.path : nil
        }
        if let identifier, !identifier.isEmpty { return identifier }
        return context.clientIP
    }

    /// Sets the client headers and refuses the request when a window is full.
    func apply(_ decision: RateDecision, now: Int64, to context: RequestContext) -> AccessStep {
        if !config.hideClientHeaders {
            for (name, value) in decision.headers(now: now) {
                context.extraResponseHeaders.replaceOrAdd(name: name, value: value)
            }
        }
        guard decision.admitted else {
            return .respond(.message(HTTPResponseStatus(statusCode: config.errorCode), config.errorMessage))
        }
        return .proceed
    }

    static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
