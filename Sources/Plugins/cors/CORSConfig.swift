import Gateway

/// Kong's `cors` configuration.
public struct CORSConfig: PluginConfiguration, Equatable {
    /// The methods Kong allows in `methods` (and its default: all of them).
    public enum Method: String, ConfigEnum {
        case GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS, TRACE, CONNECT
    }

    /// Allowed origins: exact (`https://app.example.com`), `*`, or regexes (an entry with a character
    /// other than letters, digits, `.`, `:`, `/`, `-`). None (the default) allows every origin.
    public var origins: [CORSOrigin]?
    /// `Access-Control-Allow-Headers` for preflights; by default the request's
    /// `Access-Control-Request-Headers` is echoed.
    public var headers: [String]?
    /// `Access-Control-Expose-Headers`.
    public var exposedHeaders: [String]?
    /// `Access-Control-Allow-Methods` for preflights (default: all of Kong's methods).
    public var methods: [Method] = Method.allCases
    /// `Access-Control-Max-Age` in seconds for preflights (default: not sent).
    public var maxAge: Double?
    /// Whether `Access-Control-Allow-Credentials: true` is sent (default false).
    public var credentials = false
    /// Whether `Access-Control-Allow-Private-Network: true` answers a preflight that asks for it.
    public var privateNetwork = false
    /// Whether preflights go to the upstream instead of being answered by the gateway (default false).
    public var preflightContinue = false
    /// Whether CORS headers are added to responses to requests without an `Origin` (default true).
    public var allowOriginAbsent = true

    enum CodingKeys: String, CodingKey {
        case origins, headers, methods, credentials
        case exposedHeaders = "exposed_headers"
        case maxAge = "max_age"
        case privateNetwork = "private_network"
        case preflightContinue = "preflight_continue"
        case allowOriginAbsent = "allow_origin_absent"
    }

    /// Kong's defaults.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        origins = try container.optional(.origins)
        headers = try container.optional(.headers)
        exposedHeaders = try container.optional(.exposedHeaders)
        methods = try container.value(.methods, or: methods)
        maxAge = try container.optional(.maxAge)
        credentials = try container.value(.credentials, or: credentials)
        privateNetwork = try container.value(.privateNetwork, or: privateNetwork)
        preflightContinue = try container.value(.preflightContinue, or: preflightContinue)
        allowOriginAbsent = try container.value(.allowOriginAbsent, or: allowOriginAbsent)
    }
}

/// One `origins` entry: `*` or a valid regex (a plain origin is a regex too), checked when the file loads.
public struct CORSOrigin: Sendable, Hashable, Decodable, ExpressibleByStringLiteral {
    /// The entry as written.
    public let text: String

    /// An entry (unchecked: tests and code build these directly).
    public init(stringLiteral text: String) {
        self.text = text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        if text != "*", (try? Regex(text)) == nil { throw InvalidConfigValue("'\(text)' is not a valid regex") }
        self.text = text
    }
}
