import Gateway

/// Kong's `key-auth` configuration.
public struct KeyAuthConfig: PluginConfiguration, Equatable {
    /// Header and query parameter names that may carry the key (default `["apikey"]`).
    public var keyNames: [String] = ["apikey"]
    /// Whether the key is removed from the request before it goes upstream (default false).
    public var hideCredentials: Bool = false
    /// A consumer (id or username) to run as when authentication fails, instead of a 401.
    public var anonymous: String?
    /// Whether request headers are searched (default true).
    public var keyInHeader: Bool = true
    /// Whether the query string is searched (default true).
    public var keyInQuery: Bool = true
    /// Whether the request body is searched (default false): form-urlencoded, JSON and multipart
    /// bodies, read only when no key came first in a header or the query (see ``KeyAuthPlugin``).
    public var keyInBody: Bool = false
    /// Whether `OPTIONS` requests are authenticated too (default true).
    public var runOnPreflight: Bool = true
    /// The `realm` in `WWW-Authenticate` (none by default).
    public var realm: String?

    enum CodingKeys: String, CodingKey {
        case keyNames = "key_names"
        case hideCredentials = "hide_credentials"
        case anonymous
        case keyInHeader = "key_in_header"
        case keyInQuery = "key_in_query"
        case keyInBody = "key_in_body"
        case runOnPreflight = "run_on_preflight"
        case realm
    }

    /// Kong's defaults.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keyNames = try c.value(.keyNames, or: keyNames)
        hideCredentials = try c.value(.hideCredentials, or: hideCredentials)
        anonymous = try c.optional(.anonymous)
        keyInHeader = try c.value(.keyInHeader, or: keyInHeader)
        keyInQuery = try c.value(.keyInQuery, or: keyInQuery)
        keyInBody = try c.value(.keyInBody, or: keyInBody)
        runOnPreflight = try c.value(.runOnPreflight, or: runOnPreflight)
        realm = try c.optional(.realm)
    }

    public func validate(_ validator: inout PluginConfigValidator) {
        if keyNames.isEmpty { validator.error("must have at least one name", field: "key_names") }
        for name in keyNames where !Self.isKeyName(name) {
            validator.error(
                "bad header name '\(name)', allowed characters are A-Z, a-z, 0-9, '_', and '-'",
                field: "key_names"
            )
        }
        if let realm, realm.contains("\"") || realm.utf8.contains(where: { $0 < 0x20 }) {
            validator.error("must not contain quotes or control characters", field: "realm")
        }
    }

    /// Kong's `typedefs.header_name`: letters, digits, `_` and `-`.
    static func isKeyName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    return true
                default:
                    return false
                }
            }
    }
}
