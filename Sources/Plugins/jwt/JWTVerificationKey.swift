import Crypto
import CryptoExtras
import Foundation
import Gateway

/// A credential's key, parsed once when the configuration is loaded, that checks a token's
/// signature synchronously (no actor hop, no allocation beyond the digest) on the event loop.
///
/// The algorithm is part of the key: a token is only ever checked with the algorithm its
/// credential names, so `alg: none` and "HS256 with the RSA public key as secret" cannot happen.
enum JWTVerificationKey: Sendable {
    /// HMAC with a shared secret of any length (Kong accepts short secrets; `validate` warns).
    case hmac(KeyedHMAC, JWTAlgorithm)
    /// RSASSA-PKCS1-v1_5 (`RS*`) or RSASSA-PSS (`PS*`).
    case rsa(_RSA.Signing.PublicKey, JWTAlgorithm)
    /// ECDSA P-256 with SHA-256 (`ES256`).
    case p256(P256.Signing.PublicKey)
    /// ECDSA P-384 with SHA-384 (`ES384`).
    case p384(P384.Signing.PublicKey)
    /// ECDSA P-521 with SHA-512 (`ES512`).
    case p521(P521.Signing.PublicKey)
    /// Ed25519 (`EdDSA`).
    case ed25519(Curve25519.Signing.PublicKey)

    /// The algorithm this key verifies.
    var algorithm: JWTAlgorithm {
        switch self {
        case .hmac(_, let algorithm), .rsa(_, let algorithm): return algorithm
        case .p256: return .es256
        case .p384: return .es384
        case .p521: return .es512
        case .ed25519: return .edDSA
        }
    }

    /// Whether `signature` signs `input` under this key.
    func verifies<Input: DataProtocol>(_ signature: [UInt8], input: Input) -> Bool {
        switch self {
        case .hmac(let keyed, _):
            return keyed.isValidAuthenticationCode(signature, authenticating: input)
        case .rsa(let key, let algorithm):
            let padding: _RSA.Signing.Padding =
                algorithm.rawValue.hasPrefix("PS") ? .PSS : .insecurePKCS1v1_5
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            switch algorithm {
            case .rs384, .ps384: return key.isValidSignature(rsaSignature, for: SHA384.hash(data: input), padding: padding)
            case .rs512, .ps512: return key.isValidSignature(rsaSignature, for: SHA512.hash(data: input), padding: padding)
            default: return key.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: padding)
            }
        case .p256(let key):
            guard signature.count == 64, let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else {
                return false
            }
            return key.isValidSignature(ecdsa, for: SHA256.hash(data: input))
        case .p384(let key):
            guard signature.count == 96, let ecdsa = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else {
                return false
            }
            return key.isValidSignature(ecdsa, for: SHA384.hash(data: input))
        case .p521(let key):
            guard signature.count == 132, let ecdsa = try? P521.Signing.ECDSASignature(rawRepresentation: signature) else {
                return false
            }
            return key.isValidSignature(ecdsa, for: SHA512.hash(data: input))
        case .ed25519(let key):
            return signature.count == 64 && key.isValidSignature(signature, for: input)
        }
    }
}

extension JWTVerificationKey {
    /// Why a credential's key could not be used.
    struct KeyError: Error, CustomStringConvertible {
        let description: String
    }

    /// An HMAC key from a credential's secret (base64-decoded first when `base64` is true).
    static func hmac(secret: String, base64: Bool, algorithm: JWTAlgorithm) throws -> JWTVerificationKey {
        if base64 {
            guard let bytes = Base64URL.decode(secret.filter { !$0.isWhitespace }) else {
                throw KeyError(description: "secret is not valid base64 (secret_is_base64 is true)")
            }
            return .hmac(KeyedHMAC(key: SymmetricKey(data: bytes), algorithm: algorithm), algorithm)
        }
        return .hmac(KeyedHMAC(key: SymmetricKey(data: Array(secret.utf8)), algorithm: algorithm), algorithm)
    }

    /// A public key from a credential's PEM `rsa_public_key` (Kong's field also carries EC and
    /// Ed25519 keys), checked against the credential's algorithm.
    static func publicKey(pem: String, algorithm: JWTAlgorithm) throws -> JWTVerificationKey {
        let pem = pem.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            switch algorithm {
            case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512:
                return .rsa(try _RSA.Signing.PublicKey(pemRepresentation: pem), algorithm)
            case .es256:
                return .p256(try P256.Signing.PublicKey(pemRepresentation: pem))
            case .es384:
                return .p384(try P384.Signing.PublicKey(pemRepresentation: pem))
            case .es512:
                return .p521(try P521.Signing.PublicKey(pemRepresentation: pem))
            case .edDSA:
                return .ed25519(try Curve25519.Signing.PublicKey(pemRepresentation: pem))
            case .hs256, .hs384, .hs512:
                throw KeyError(description: "algorithm \(algorithm.rawValue) takes a secret, not a public key")
            }
        } catch let error as KeyError {
            throw error
        } catch {
            throw KeyError(
                description: "rsa_public_key is not a valid \(Self.keyKind(algorithm)) public key for \(algorithm.rawValue)"
            )
        }
    }

    private static func keyKind(_ algorithm: JWTAlgorithm) -> String {
        switch algorithm {
        case .es256: return "P-256"
        case .es384: return "P-384"
        case .es512: return "P-521"
        case .edDSA: return "Ed25519"
        default: return "RSA (2048 bits or more)"
        }
    }
}

/// An HMAC already keyed with a credential's secret, at load: keying hashes the secret into the
/// inner and outer pads, which costs about as much as checking a token, so each check starts from a
/// copy of the keyed state instead.
enum KeyedHMAC: Sendable {
    case sha256(HMAC<SHA256>)
    case sha384(HMAC<SHA384>)
    case sha512(HMAC<SHA512>)

    /// Keys the HMAC of `algorithm` (`HS384`, `HS512`; any other HMAC algorithm is HS256).
    init(key: SymmetricKey, algorithm: JWTAlgorithm) {
        switch algorithm {
        case .hs384: self = .sha384(HMAC(key: key))
        case .hs512: self = .sha512(HMAC(key: key))
        default: self = .sha256(HMAC(key: key))
        }
    }

    /// Whether `code` authenticates `input`, compared in constant time.
    func isValidAuthenticationCode<Input: DataProtocol>(_ code: [UInt8], authenticating input: Input) -> Bool {
        switch self {
        case .sha256(let keyed): return Self.check(keyed, code, input)
        case .sha384(let keyed): return Self.check(keyed, code, input)
        case .sha512(let keyed): return Self.check(keyed, code, input)
        }
    }

    private static func check<H: HashFunction, Input: DataProtocol>(_ keyed: HMAC<H>, _ code: [UInt8], _ input: Input) -> Bool {
        var hmac = keyed  // a copy: the keyed state itself is never updated
        hmac.update(data: input)
        // `HashedAuthenticationCode ==` a byte sequence compares in constant time (and false on a length mismatch).
        return hmac.finalize() == code
    }
}

