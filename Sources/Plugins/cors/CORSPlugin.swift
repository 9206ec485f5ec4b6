import Gateway
import NIOHTTP1

/// Kong's `cors`: answers preflights (`OPTIONS` with `Origin` and `Access-Control-Request-Method`)
/// with 200 and the `Access-Control-*` headers, unless `preflight_continue` sends them upstream; adds
/// `Access-Control-Allow-Origin` (and credentials, exposed headers, `Vary: Origin`) to every other
/// response, upstream or local. Priority 2000: it runs before the authentication plugins, which skip
/// preflights unless their `run_on_preflight` says otherwise.
public struct CORSPlugin: ConfigurablePlugin {
    public static let name = "cors"
    public static let priority = 2000

    /// Kong's `Access-Control-Allow-Methods` when `methods` is empty.
    static let allMethods = "GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS,TRACE,CONNECT"

    let config: CORSConfig
    let policy: CORSOriginPolicy
    let allowMethods: String
    let allowHeaders: String?
    let exposeHeaders: String?
    let maxAge: String?

    public init(configuration: CORSConfig, context: PluginBuildContext) throws {
        config = configuration
        do {
            policy = try CORSOriginPolicy(origins: (configuration.origins ?? []).map(\.text))
        } catch {
            throw InvalidConfigValue("invalid origin regex: \(error)")
        }
        allowMethods =
            configuration.methods.isEmpty ? Self.allMethods : configuration.methods.map(\.rawValue).joined(separator: ",")
        allowHeaders = configuration.headers.flatMap { $0.isEmpty ? nil : $0.joined(separator: ",") }
        exposeHeaders = configuration.exposedHeaders.flatMap { $0.isEmpty ? nil : $0.joined(separator: ",") }
        maxAge = configuration.maxAge.map(Self.luaNumber)
    }

    public func access(_ context: RequestContext) -> AccessStep {
        let request = context.originalHead.headers
        guard context.method == .OPTIONS, let origin = request.first(name: "origin"), !origin.isEmpty,
            request.contains(name: "access-control-request-method")
        else { return .proceed }
        // The preflight's headers are complete here (or the upstream's job): the response phase adds none.
        context[CORSPreflightKey.self] = true
        if config.preflightContinue { return .proceed }

        var headers = HTTPHeaders()
        applyOrigin(to: &headers, requestOrigin: origin, addingVary: false)
        if let allowHeaders {
            headers.replaceOrAdd(name: "Access-Control-Allow-Headers", value: allowHeaders)
        } else if let requested = request.first(name: "access-control-request-headers") {
            headers.replaceOrAdd(name: "Access-Control-Allow-Headers", value: requested)
        }
        headers.replaceOrAdd(name: "Access-Control-Allow-Methods", value: allowMethods)
        if let maxAge { headers.replaceOrAdd(name: "Access-Control-Max-Age", value: maxAge) }
        if config.privateNetwork, request.first(name: "access-control-request-private-network") == "true" {
            headers.replaceOrAdd(name: "Access-Control-Allow-Private-Network", value: "true")
        }
        return .respond(LocalResponse(status: .ok, headers: headers))
    }

    public func response(_ context: RequestContext, head: inout HTTPResponseHead) {
        if context[CORSPreflightKey.self] == true { return }
        let origin = context.originalHead.headers.first(name: "origin")
        if origin?.isEmpty ?? true, !config.allowOriginAbsent { return }
        applyOrigin(to: &head.headers, requestOrigin: origin, addingVary: true)
        if let exposeHeaders { head.headers.replaceOrAdd(name: "Access-Control-Expose-Headers", value: exposeHeaders) }
    }

    /// Sets `Access-Control-Allow-Origin`, `Vary` and `Access-Control-Allow-Credentials` as Kong does.
    /// `addingVary`: add a `Vary` line (responses keep the upstream's) rather than set it (preflights).
    func applyOrigin(to headers: inout HTTPHeaders, requestOrigin: String?, addingVary: Bool) {
        let decision = policy.decide(requestOrigin: requestOrigin)
        if decision.varies { Self.vary(&headers, adding: addingVary) }
        if let allowOrigin = decision.allowOrigin {
            headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: allowOrigin)
        } else {
            headers.remove(name: "Access-Control-Allow-Origin")
        }
        guard config.credentials else { return }
        if !decision.allowsAll {
            headers.replaceOrAdd(name: "Access-Control-Allow-Credentials", value: "true")
        } else if let requestOrigin, !requestOrigin.isEmpty {
            // `*` cannot go with credentials: the request's own origin is allowed instead.
            Self.vary(&headers, adding: addingVary)
            headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: requestOrigin)
            headers.replaceOrAdd(name: "Access-Control-Allow-Credentials", value: "true")
        }
    }

    private static func vary(_ headers: inout HTTPHeaders, adding: Bool) {
        if adding {
            if !headers["vary"].contains(where: { $0.lowercased() == "origin" }) { headers.add(name: "Vary", value: "Origin") }
        } else {
            headers.replaceOrAdd(name: "Vary", value: "Origin")
        }
    }

    /// A number as Lua's `tostring` writes it (`23`, `1.5`).
    static func luaNumber(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}

/// Set on a preflight request: the cors plugin adds no headers to its response.
enum CORSPreflightKey: RequestStorageKey {
    typealias Value = Bool
}
