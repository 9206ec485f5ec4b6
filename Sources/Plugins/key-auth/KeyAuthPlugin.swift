import Foundation
import Gateway
import NIOHTTP1

/// Kong's `key-auth`: authenticates the request with an API key from a header or the query string
/// (`keyauth_credentials` on consumers), then runs it as that key's consumer.
///
/// Refusals are 401 with `WWW-Authenticate: Key` (or `Key realm="…"`): `No API key found in
/// request`, `Duplicate API key found`, or `Unauthorized` for a key nobody owns. With `anonymous`
/// set, a refusal runs the request as that consumer instead.
public struct KeyAuthPlugin: ConfigurablePlugin {
    public static let name = "key-auth"
    public static let priority = 1250

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

    public func access(_ context: RequestContext) -> AccessStep {
        if !config.runOnPreflight, context.method == .OPTIONS { return .proceed }
        if anonymous != nil, context.hasCredential { return .proceed }
        let refusal: String
        switch findKey(context) {
        case .duplicate:
            refusal = "Duplicate API key found"
        case .none, .found(""):
            refusal = "No API key found in request"
        case .found(let key):
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
        case found(String)
        case duplicate
    }

    /// Kong's search: for each name in order, the header, then the query; the first name present
    /// wins (and is hidden from the upstream when `hide_credentials` is set).
    func findKey(_ context: RequestContext) -> Search {
        for name in config.keyNames {
            var value: String?
            if config.keyInHeader {
                let values = context.originalHead.headers[name]
                if values.count > 1 { return .duplicate }
                value = values.first
            }
            if value == nil, config.keyInQuery, let query = context.query {
                let values = Self.queryValues(named: name, in: query)
                if values.count > 1 { return .duplicate }
                value = values.first
            }
            guard let value else { continue }
            if config.hideCredentials {
                context.requestHeaders.remove(name: name)
                if let query = context.query { context.query = QueryString.removing(name, from: query[...]) }
            }
            return .found(value)
        }
        return .none
    }

    /// The values of `name` in the query; a bare `name` (no `=`) does not count, as in Kong, where
    /// it reads as `true` rather than a string.
    static func queryValues(named name: String, in query: String) -> [String] {
        var values: [String] = []
        for pair in query.split(separator: "&") {
            guard let equals = pair.firstIndex(of: "="),
                QueryString.decode(pair[pair.startIndex..<equals]) == name
            else { continue }
            values.append(QueryString.decode(pair[pair.index(after: equals)...]))
        }
        return values
    }
}
