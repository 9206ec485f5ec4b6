import Crypto
import CryptoExtras
import Foundation
import Gateway

/// A JSON Web Key Set (RFC 7517) reduced to the keys a credential can use: public keys whose
/// type and curve fit the credential's algorithm, by `kid`.
struct JWKSDocument: Sendable {
    /// Keys by `kid`.
    var keys: [String: JWTVerificationKey] = [:]
    /// Usable keys that carry no `kid` (used only when the token has no `kid` and this is the only key).
    var keysWithoutID: [JWTVerificationKey] = []

    /// Reads the set from `bytes`, keeping keys usable with `algorithm` (keys with another `alg`,
    /// `use: enc`, or an unknown `kty` are skipped). Nil when the document is not a JWKS.
    init?(_ bytes: [UInt8], algorithm: JWTAlgorithm) {
        guard let root = JSONValue.parse(bytes, maxDepth: JWTToken.maxJSONDepth)?.objectValue,
            case .array(let entries)? = root["keys"]
        else { return nil }
        for entry in entries {
            guard let jwk = entry.objectValue, let key = Self.key(jwk, algorithm: algorithm) else { continue }
            if let kid = jwk["kid"]?.stringValue {
                keys[kid] = key
            } else {
                keysWithoutID.append(key)
            }
        }
    }

    /// An empty set.
    init() {}

    /// Whether the set has no usable key.
    var isEmpty: Bool { keys.isEmpty && keysWithoutID.isEmpty }

    /// One JWK as a verification key for `algorithm`, or nil when it does not fit.
    static func key(_ jwk: JSONObject, algorithm: JWTAlgorithm) -> JWTVerificationKey? {
        if let alg = jwk["alg"]?.stringValue, alg != algorithm.rawValue { return nil }
        if let use = jwk["use"]?.stringValue, use != "sig" { return nil }
        func bytes(_ name: String) -> [UInt8]? { jwk[name]?.stringValue.flatMap(Base64URL.decode) }
        switch (jwk["kty"]?.stringValue, algorithm) {
        case ("RSA", .rs256), ("RSA", .rs384), ("RSA", .rs512), ("RSA", .ps256), ("RSA", .ps384), ("RSA", .ps512):
            guard let n = bytes("n"), let e = bytes("e"), let key = try? _RSA.Signing.PublicKey(n: n, e: e) else { return nil }
            return .rsa(key, algorithm)
        case ("EC", .es256):
            guard jwk["crv"]?.stringValue == "P-256", let x = bytes("x"), let y = bytes("y"), x.count == 32, y.count == 32,
                let key = try? P256.Signing.PublicKey(rawRepresentation: x + y)
            else { return nil }
            return .p256(key)
        case ("EC", .es384):
            guard jwk["crv"]?.stringValue == "P-384", let x = bytes("x"), let y = bytes("y"), x.count == 48, y.count == 48,
                let key = try? P384.Signing.PublicKey(rawRepresentation: x + y)
            else { return nil }
            return .p384(key)
        case ("EC", .es512):
            guard jwk["crv"]?.stringValue == "P-521", let x = bytes("x"), let y = bytes("y"), x.count == 66, y.count == 66,
                let key = try? P521.Signing.PublicKey(rawRepresentation: x + y)
            else { return nil }
            return .p521(key)
        case ("OKP", .edDSA):
            guard jwk["crv"]?.stringValue == "Ed25519", let x = bytes("x"),
                let key = try? Curve25519.Signing.PublicKey(rawRepresentation: x)
            else { return nil }
            return .ed25519(key)
        default:
            return nil
        }
    }

    /// The key for a token's `kid`; a token without `kid` uses the set's only key.
    func key(for kid: String?) -> JWTVerificationKey? {
        if let kid { return keys[kid] }
        let all = Array(keys.values) + keysWithoutID
        return all.count == 1 ? all.first : nil
    }
}
