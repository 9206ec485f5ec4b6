import Foundation
import Gateway
import NIOCore
import NIOHTTP1

/// Kong's `jwt`: authenticates the request with a JSON Web Token signed by a consumer's
/// credential (`jwt_secrets`), then runs it as that consumer. Pasarela adds `claims_to_headers`
/// and JWKS credentials.
///
/// Every refusal is a 401 with Kong's body and `WWW-Authenticate` (`Bearer` when no token was
/// found, `Bearer error="invalid_token"` otherwise). With `anonymous` set, a refusal runs the
/// request as that consumer instead.
public struct JWTPlugin: ConfigurablePlugin {
    public static let name = "jwt"
    public static let priority = 1450

    let config: JWTConfig
    let credentials: JWTCredentialTable
    let sources: JWTTokenSources
    let anonymous: AnonymousConsumer?
    let challenge: HTTPHeaders
    let invalidTokenChallenge: HTTPHeaders
    /// The `claims_to_headers` pairs, sorted by claim so headers are set in a stable order.
    let claimHeaders: [(claim: String, header: String)]
    /// The clock (seconds since 1970); tests pass their own.
    let now: @Sendable () -> Double

    public init(configuration: JWTConfig, context: PluginBuildContext) throws {
        try self.init(
            configuration: configuration,
            context: context,
            jwks: JWKSRegistry.shared,
            now: { Date().timeIntervalSince1970 }
        )
    }

    init(
        configuration: JWTConfig,
        context: PluginBuildContext,
        jwks: JWKSRegistry,
        now: @escaping @Sendable () -> Double
    ) throws {
        config = configuration
        credentials = try JWTCredentialTable(context: context, secretIsBase64: configuration.secretIsBase64) { secret in
            try jwks.keySet(for: secret, trusted: context.config.settings.luaSSLTrustedCertificate, logger: context.logger)
        }
        sources = JWTTokenSources(
            uriParamNames: configuration.uriParamNames,
            cookieNames: configuration.cookieNames,
            headerNames: configuration.headerNames
        )
        anonymous = AnonymousConsumer(configuration.anonymous, plugin: Self.name, context: context)
        if let realm = configuration.realm {
            challenge = ["WWW-Authenticate": "Bearer realm=\"\(realm)\""]
            invalidTokenChallenge = ["WWW-Authenticate": "Bearer realm=\"\(realm)\", error=\"invalid_token\""]
        } else {
            challenge = ["WWW-Authenticate": "Bearer"]
            invalidTokenChallenge = ["WWW-Authenticate": "Bearer error=\"invalid_token\""]
        }
        claimHeaders = configuration.claimsToHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        self.now = now
    }

    public func access(_ context: RequestContext) -> AccessStep {
        // Headers Pasarela sets from claims never come from the client, whatever happens next.
        for pair in claimHeaders { context.requestHeaders.remove(name: pair.header) }
        if !config.runOnPreflight, context.method == .OPTIONS { return .proceed }
        if anonymous != nil, context.hasCredential { return .proceed }

        switch check(context) {
        case .authenticated:
            return .proceed
        case .refused(let response):
            return refuse(response, context)
        case .refreshKeys(let refresh):
            let future = refresh.hop(to: context.eventLoop).recover { _ in }.assumeIsolated().map { () -> AccessDecision in
                switch check(context, refreshAllowed: false) {
                case .authenticated: return .proceed
                case .refused(let response): return decision(refuse(response, context))
                case .refreshKeys: return decision(refuse(invalidSignature, context))
                }
            }
            return .wait(future.nonisolated())
        }
    }

    /// What checking the request's token came to.
    enum Outcome {
        /// The consumer is set on the context.
        case authenticated
        /// Kong's 401.
        case refused(LocalResponse)
        /// The token's `kid` is not in its JWKS key set yet: check again once this refresh is over.
        case refreshKeys(EventLoopFuture<Void>)
    }

    /// Kong's `do_authentication`.
    func check(_ context: RequestContext, refreshAllowed: Bool = true) -> Outcome {
        let token: String
        switch sources.find(query: context.query, headers: context.originalHead.headers) {
        case .none: return .refused(.message(.unauthorized, "Unauthorized", headers: challenge))
        case .several: return .refused(invalid("Multiple tokens provided"))
        case .one(let found): token = found
        }
        let jwt: JWTToken
        do {
            jwt = try JWTToken(token)
        } catch {
            return .refused(invalid("Bad token; \(error.rawValue)"))
        }

        let claimName = config.keyClaimName
        let keyValue: JSONValue?
        switch jwt.claims[claimName] {
        case .none, .some(.bool(false)): keyValue = jwt.header[claimName]
        case .some(let value): keyValue = value
        }
        guard let keyValue, keyValue != .bool(false) else {
            return .refused(invalid("No mandatory '\(claimName)' in claims"))
        }
        if keyValue == .string("") { return .refused(invalid("Invalid '\(claimName)' in claims")) }
        guard let key = keyValue.stringValue, let credential = credentials[key] else {
            return .refused(invalid("No credentials found for given '\(claimName)'"))
        }
        guard jwt.algorithm == credential.algorithm.rawValue else { return .refused(invalid("Invalid algorithm")) }

        let verificationKey: JWTVerificationKey
        switch credential.source {
        case .key(let parsed):
            verificationKey = parsed
        case .jwks(let keySet):
            switch keySet.lookup(kid: jwt.keyID, algorithm: credential.algorithm, refreshAllowed: refreshAllowed) {
            case .found(let found): verificationKey = found
            case .refreshing(let refresh): return .refreshKeys(refresh)
            case .missing: return .refused(invalidSignature)
            }
        case .unusableSecret:
            return .refused(invalid("Invalid key/secret"))
        }
        guard verificationKey.verifies(jwt.signature, input: jwt.signingInput) else { return .refused(invalidSignature) }

        let failures = JWTClaimsCheck.failures(
            claims: jwt.claims,
            verifying: config.claimsToVerify,
            maximumExpiration: config.maximumExpiration,
            now: now().rounded(.down)
        )
        if !failures.isEmpty {
            return .refused(.json(.unauthorized, object: failures, headers: invalidTokenChallenge))
        }

        context.authenticate(consumer: credential.consumer, credentialIdentifier: credential.key)
        for pair in claimHeaders {
            if let value = jwt.claims[pair.claim].flatMap(Self.headerValue) {
                context.requestHeaders.replaceOrAdd(name: pair.header, value: value)
            }
        }
        return .authenticated
    }

    /// A claim as a header value: strings as they are, other values as JSON; nil when the result
    /// could split or corrupt the header (control characters).
    static func headerValue(_ claim: JSONValue) -> String? {
        let text: String
        switch claim {
        case .string(let string): text = string
        case .null: return nil
        default: text = claim.jsonText
        }
        guard !text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else { return nil }
        return text
    }

    private var invalidSignature: LocalResponse { invalid("Invalid signature") }

    private func invalid(_ message: String) -> LocalResponse {
        .message(.unauthorized, message, headers: invalidTokenChallenge)
    }

    private func refuse(_ response: LocalResponse, _ context: RequestContext) -> AccessStep {
        if let anonymous { return anonymous.apply(to: context) }
        return .respond(response)
    }

    private func decision(_ step: AccessStep) -> AccessDecision {
        switch step {
        case .respond(let response): return .respond(response)
        default: return .proceed
        }
    }
}
