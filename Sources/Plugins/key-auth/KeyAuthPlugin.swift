import Foundation
import Gateway
import NIOHTTP1

/// Kong's `key-auth`: authenticates the request with an API key from a header, the query string or
/// (with `key_in_body`) the body (`keyauth_credentials` on consumers), then runs it as that key's
/// consumer.
///
/// Refusals are 401 with `WWW-Authenticate: Key` (or `Key realm="…"`): `No API key found in
/// request`, `Duplicate API key found`, or `Unauthorized` for a key nobody owns. With `anonymous`
/// set, a refusal runs the request as that consumer instead.
///
/// `key_in_body`: the body is read (up to ``maxBufferedBodyBytes``) only when the search reaches it,
/// i.e. when no key came first in a header or the query; other requests keep streaming. As in
/// Kong, a body that cannot be read holds no key: an unsupported `Content-Type`, a body that does
/// not decode, or one that declares a `Content-Length` over the limit (Kong's body that "did not fit
/// into client body buffer"). A chunked body that grows past the limit is answered 413.
/// With `hide_credentials`, the key's field is removed from a body that was read; unlike Kong, a body
/// that was not read (the key came from a header or the query) is not read just to remove it.
public struct KeyAuthPlugin: ConfigurablePlugin {
    public static let name = "key-auth"
    public static let priority = 1250

    /// The largest body read to look for a key (`key_in_body`).
    public static let maxBufferedBodyBytes = 1024 * 1024

    let config: KeyAuthConfig
    let credentials: KeyAuthCredentialTable
    let anonymous: AnonymousConsumer?
    let challenge: HTTPHeaders
    let now: @Sendable () -> Double

    public init(configuration: KeyAuthConfig, context: PluginBuildContext) {
        self.init(configuration: configuration, context: context, now: { Date().timeIntervalSince1970 })
    }

    init(configuration: KeyAuthConfig, context: PluginBuildContext, now: @escaping @Sendable () -> Double) {
        config = configuration
        credentials = KeyAuthCredentialTable(context: context, now: now())
        anonymous = AnonymousConsumer(configuration.anonymous, plugin: Self.name, context: context)
        challenge = ["WWW-Authenticate": configuration.realm.map { "Key realm=\"\($0)\"" } ?? "Key"]
        self.now = now
    }

    /// Whether this request is authenticated at all (not a skipped preflight, not already
    /// authenticated by another plugin when `anonymous` makes them alternatives).
    private func authenticates(_ context: RequestContext) -> Bool {
        if !config.runOnPreflight, context.method == .OPTIONS { return false }
        if anonymous != nil, context.hasCredential { return false }
        return true
    }

    public func requestBodyBufferLimit(_ context: RequestContext) -> Int? {
        guard config.keyInBody, context.requestBody == nil, authenticates(context),
            BodyKind(bodyContentType: context.originalHead.headers.first(name: "content-type")) != nil,
            search(context, body: nil) == .needsBody
        else { return nil }
        if let declared = context.originalHead.headers.first(name: "content-length").flatMap({ Int($0.trimmingSpaces) }),
            declared > Self.maxBufferedBodyBytes
        {
            return nil
        }
        return Self.maxBufferedBodyBytes
    }

    public func access(_ context: RequestContext) -> AccessStep {
        guard authenticates(context) else { return .proceed }
        var body: KeyAuthBody?
        var result = search(context, body: nil)
        if result == .needsBody {
            body = KeyAuthBody(context.requestBody, contentType: context.originalHead.headers.first(name: "content-type"))
            result = search(context, body: body)
        }
        let refusal: String
        switch result {
        case .duplicate:
            refusal = "Duplicate API key found"
        case .none, .needsBody, .found("", _):
            refusal = "No API key found in request"
        case .found(let key, let name):
            if config.hideCredentials { hide(name, context, body: body) }
            if let entry = credentials.match(key, now: now()) {
                context.authenticate(consumer: entry.consumer, credentialIdentifier: entry.identifier)
                return .proceed
            }
            refusal = "Unauthorized"
        }
        if let anonymous { return anonymous.apply(to: context) }
        return .respond(.message(.unauthorized, refusal, headers: challenge))
    }

    /// What the request carried.
    enum Search: Equatable {
        case none
        /// A key, under this name.
        case found(String, name: String)
        case duplicate
        /// The search reached the body, which is not read yet.
        case needsBody
    }

    /// Kong's search: for each name in order, the header, then the query, then the body (`body`,
    /// nil while unread); the first string found is the key, a repeated value is a duplicate.
    func search(_ context: RequestContext, body: KeyAuthBody?) -> Search {
        let query = config.keyInQuery ? context.query.map { FormArguments(decoding: $0[...]) } : nil
        for name in config.keyNames {
            var lookup = KeyAuthBody.Lookup.absent
            if config.keyInHeader {
                let values = context.originalHead.headers[name]
                lookup = values.count > 1 ? .table : values.first.map(KeyAuthBody.Lookup.string) ?? .absent
            }
            if lookup == .absent, let query {
                switch query[name] {
                case nil: break
                case .flag?: lookup = .other  // Lua's `true`
                case .values(let values)?:
                    lookup = values.count > 1 ? .table : values.first.map(KeyAuthBody.Lookup.string) ?? .absent
                }
            }
            if lookup == .absent, config.keyInBody {
                guard let body else { return .needsBody }
                lookup = body.lookup(name)
            }
            switch lookup {
            case .string(let key): return .found(key, name: name)
            case .table: return .duplicate
            case .absent, .other: continue
            }
        }
        return .none
    }

    /// Removes the key `name` from what goes upstream: header, query and (when read) body.
    private func hide(_ name: String, _ context: RequestContext, body: KeyAuthBody?) {
        context.requestHeaders.remove(name: name)
        if let query = context.query { context.query = FormArguments.removing(name, from: query[...]) }
        guard config.keyInBody, let raw = context.requestBody else { return }
        let parsed = body ?? KeyAuthBody(raw, contentType: context.originalHead.headers.first(name: "content-type"))
        if let stripped = parsed.removing(name, from: raw) { context.replaceRequestBody(stripped) }
    }
}
