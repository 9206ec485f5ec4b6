/// A JWT split and decoded as Kong's `jwt_parser` does, before any signature check: the header and
/// claims as JSON objects, the signature bytes and the signed part.
struct JWTToken {
    /// Why a token could not be decoded; the text follows Kong's `"Bad token; " .. err`.
    enum DecodeError: String, Error, Equatable {
        /// A segment is missing, is not base64url, or is not a JSON object.
        case invalidJSON = "invalid JSON"
        /// The header's `alg` is missing, not a string, or not an algorithm Kong knows (`none` included).
        case invalidAlg = "invalid alg"
        /// The signature segment is not base64url.
        case invalidSignature = "invalid signature"
    }

    /// Algorithms a token header may name (Kong's list; a credential then decides which one is accepted).
    static let knownAlgorithms: Set<String> = [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
        "PS256", "PS384", "PS512", "EdDSA",
    ]

    /// The deepest nesting a header, a claims set or a JWKS may have.
    static let maxJSONDepth = 32

    /// The decoded header.
    let header: JSONObject
    /// The decoded claims (payload).
    let claims: JSONObject
    /// The header's `alg`.
    let algorithm: String
    /// The signature bytes.
    let signature: [UInt8]
    /// `BASE64URL(header) "." BASE64URL(claims)`, the bytes the signature covers.
    let signingInput: ArraySlice<UInt8>

    /// Decodes `token`, as Kong: split into at most three parts on `.` (a fourth dot stays in the
    /// signature, which then fails to decode), JSON first, then `alg`, then the signature.
    init(_ token: String) throws(DecodeError) {
        let bytes = Array(token.utf8)
        let dot = UInt8(ascii: ".")
        guard let firstDot = bytes.firstIndex(of: dot),
            let secondDot = bytes[(firstDot + 1)...].firstIndex(of: dot)
        else { throw .invalidJSON }
        guard let header = Self.object(bytes[..<firstDot]), let claims = Self.object(bytes[(firstDot + 1)..<secondDot]) else {
            throw .invalidJSON
        }
        guard let algorithm = header["alg"]?.stringValue, Self.knownAlgorithms.contains(algorithm) else {
            throw .invalidAlg
        }
        guard let signature = Base64URL.decode(bytes: bytes[(secondDot + 1)...]) else { throw .invalidSignature }
        self.header = header
        self.claims = claims
        self.algorithm = algorithm
        self.signature = signature
        self.signingInput = bytes[..<secondDot]
    }

    /// A base64url segment decoded as a JSON object, or nil.
    private static func object(_ segment: ArraySlice<UInt8>) -> JSONObject? {
        guard let bytes = Base64URL.decode(bytes: segment) else { return nil }
        return JSONValue.parse(bytes, maxDepth: maxJSONDepth)?.objectValue
    }

    /// The header's `kid`, when it is a string.
    var keyID: String? { header["kid"]?.stringValue }
}
