import Gateway

/// Kong's `jwt` configuration, plus Pasarela's `claims_to_headers`.
public struct JWTConfig: PluginConfiguration, Equatable {
    /// A registered claim Kong can verify.
    public enum VerifiableClaim: String, ConfigEnum {
        /// Expiration time: refused when `exp <= now`.
        case exp
        /// Not before: refused when `nbf > now`.
        case nbf
    }

    /// Query parameters inspected for a token (default `["jwt"]`).
    public var uriParamNames: [String] = ["jwt"]
    /// Cookies inspected for a token (default none).
    public var cookieNames: [String] = []
    /// Headers inspected for a `Bearer` token (default `["authorization"]`).
    public var headerNames: [String] = ["authorization"]
    /// The claim (payload first, then header) naming the credential's `key` (default `iss`).
    public var keyClaimName: String = "iss"
    /// Whether credentials' HS* secrets are base64-encoded (the token is signed with the decoded bytes).
    public var secretIsBase64: Bool = false
    /// Registered claims to verify (default none: Kong checks `exp` only when listed).
    public var claimsToVerify: [VerifiableClaim] = []
    /// A consumer (id or username) to run as when authentication fails, instead of a 401.
    public var anonymous: String?
    /// Whether `OPTIONS` requests are authenticated too (default true).
    public var runOnPreflight: Bool = true
    /// Largest allowed `exp - now` in seconds (0: no limit; needs `exp` in `claims_to_verify`).
    public var maximumExpiration: Double = 0
    /// The `realm` in `WWW-Authenticate` (none by default).
    public var realm: String?
    /// Pasarela: claims copied into upstream headers (claim → header); those headers are always
    /// removed from the client's request first, so a client can never forge them.
    public var claimsToHeaders: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case uriParamNames = "uri_param_names"
        case cookieNames = "cookie_names"
        case headerNames = "header_names"
        case keyClaimName = "key_claim_name"
        case secretIsBase64 = "secret_is_base64"
        case claimsToVerify = "claims_to_verify"
        case anonymous
        case runOnPreflight = "run_on_preflight"
        case maximumExpiration = "maximum_expiration"
        case realm
        case claimsToHeaders = "claims_to_headers"
    }

    /// Kong's defaults.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        uriParamNames = try c.value(.uriParamNames, or: uriParamNames)
        cookieNames = try c.value(.cookieNames, or: cookieNames)
        headerNames = try c.value(.headerNames, or: headerNames)
        keyClaimName = try c.value(.keyClaimName, or: keyClaimName)
        secretIsBase64 = try c.value(.secretIsBase64, or: secretIsBase64)
        claimsToVerify = try c.value(.claimsToVerify, or: claimsToVerify)
        anonymous = try c.optional(.anonymous)
        runOnPreflight = try c.value(.runOnPreflight, or: runOnPreflight)
        maximumExpiration = try c.value(.maximumExpiration, or: maximumExpiration)
        realm = try c.optional(.realm)
        claimsToHeaders = try c.value(.claimsToHeaders, or: claimsToHeaders)
    }

    public func validate(_ validator: inout PluginConfigValidator) {
        if !(0...31_536_000).contains(maximumExpiration) {
            validator.error("value should be between 0 and 31536000", field: "maximum_expiration")
        }
        if maximumExpiration > 0, !claimsToVerify.contains(.exp) {
            validator.error(
                "must contain \"exp\" when maximum_expiration is set",
                field: "claims_to_verify"
            )
        }
        if keyClaimName.isEmpty { validator.error("must not be empty", field: "key_claim_name") }
        for (index, name) in headerNames.enumerated() where !HeaderName.isValid(name) {
            validator.error("invalid header name \"\(name)\"", field: "header_names.\(index)")
        }
        for (claim, header) in claimsToHeaders.sorted(by: { $0.key < $1.key }) {
            if !HeaderName.isValid(header) {
                validator.error("invalid header name \"\(header)\"", field: "claims_to_headers.\(claim)")
            }
        }
        if let realm, realm.contains("\"") || realm.utf8.contains(where: { $0 < 0x20 }) {
            validator.error("must not contain quotes or control characters", field: "realm")
        }
    }
}
