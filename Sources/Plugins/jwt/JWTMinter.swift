import Crypto
import CryptoExtras
import Foundation
import Gateway

/// Mints tokens for a consumer's `jwt_secrets` credential (`pasarela token`, a development aid):
/// HS* with the credential's secret, other algorithms with a private key given as PEM.
public enum JWTMinter {
    /// Why no token could be minted; the text is meant for the terminal.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// What to mint.
    public struct Request: Sendable {
        /// Username, custom_id or id of the consumer.
        public var consumer: String
        /// The credential's `key`, when the consumer has several.
        public var key: String?
        /// Lifetime in seconds (the `exp` claim); nil or 0 for no `exp`.
        public var ttl: Int?
        /// Extra claims: `name=value` (a string) or `name:=value` (a JSON number, `true`, `false`).
        public var claims: [String]
        /// PEM private key for RS*, PS*, ES* and EdDSA credentials.
        public var privateKeyPEM: String?
        /// A `kid` header (for JWKS credentials).
        public var keyID: String?

        public init(
            consumer: String,
            key: String? = nil,
            ttl: Int? = 3600,
            claims: [String] = [],
            privateKeyPEM: String? = nil,
            keyID: String? = nil
        ) {
            self.consumer = consumer
            self.key = key
            self.ttl = ttl
            self.claims = claims
            self.privateKeyPEM = privateKeyPEM
            self.keyID = keyID
        }
    }

    /// A signed token for `request` under `config`, valid from `now` (seconds since 1970). The key
    /// claim is named as the configuration's `jwt` plugins name it (`iss` unless they say otherwise).
    public static func mint(_ request: Request, config: GatewayConfig, now: Double = Date().timeIntervalSince1970)
        throws(Failure) -> String
    {
        guard
            let consumer = config.consumers.first(where: {
                $0.username == request.consumer || $0.customID == request.consumer || $0.id == request.consumer
            })
        else { throw Failure("no consumer \"\(request.consumer)\" in the configuration") }
        let credentials = consumer.jwtSecrets.filter { request.key == nil || $0.key == request.key }
        guard let credential = credentials.first else {
            throw Failure(
                request.key == nil
                    ? "consumer \"\(request.consumer)\" has no jwt_secrets"
                    : "consumer \"\(request.consumer)\" has no jwt_secrets credential with key \"\(request.key ?? "")\""
            )
        }
        if credentials.count > 1 {
            throw Failure(
                "consumer \"\(request.consumer)\" has several jwt_secrets; choose one with --key (\(credentials.map(\.key).joined(separator: ", ")))"
            )
        }
        let plugins = config.plugins.filter { $0.name == JWTPlugin.name }
        let keyClaim = plugins.compactMap { $0.config?["key_claim_name"]?.scalar?.text }.first ?? "iss"
        let base64 = plugins.contains { $0.config?["secret_is_base64"]?.scalar?.text == "true" }

        var claims: JSONObject = [keyClaim: .string(credential.key), "iat": .number(String(Int(now)))]
        if let ttl = request.ttl, ttl > 0 { claims["exp"] = .number(String(Int(now) + ttl)) }
        for claim in request.claims {
            guard let (name, value) = Self.claim(claim) else {
                throw Failure("--claim \"\(claim)\": expected name=string or name:=number|true|false")
            }
            claims[name] = nil  // a claim given again goes last, with its new value
            claims[name] = value
        }
        var header: JSONObject = ["alg": .string(credential.algorithm.rawValue), "typ": .string("JWT")]
        if let kid = request.keyID { header["kid"] = .string(kid) }
        let signingInput =
            Base64URL.encode(Array(JSONValue.object(header).jsonText.utf8)) + "."
            + Base64URL.encode(Array(JSONValue.object(claims).jsonText.utf8))
        let signature = try sign(
            Array(signingInput.utf8),
            credential: credential,
            base64: base64,
            privateKeyPEM: request.privateKeyPEM
        )
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// `name=value` as a string claim, `name:=value` as a JSON number or boolean.
    static func claim(_ text: String) -> (String, JSONValue)? {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return nil }
        let value = String(text[text.index(after: equals)...])
        guard text[text.index(before: equals)] == ":" else { return (String(text[..<equals]), .string(value)) }
        let name = String(text[..<text.index(before: equals)])
        guard !name.isEmpty, let parsed = JSONValue.parse(value.utf8) else { return nil }
        switch parsed {
        case .number, .bool: return (name, parsed)
        default: return nil
        }
    }

    static func sign(_ input: [UInt8], credential: JWTSecretConfig, base64: Bool, privateKeyPEM: String?) throws(Failure)
        -> [UInt8]
    {
        let algorithm = credential.algorithm
        if algorithm.isHMAC {
            guard let secret = credential.secret else { throw Failure("credential \"\(credential.key)\" has no secret") }
            let keyBytes: [UInt8]
            if base64 {
                guard let decoded = Base64URL.decode(secret) else {
                    throw Failure("credential \"\(credential.key)\": secret is not base64")
                }
                keyBytes = decoded
            } else {
                keyBytes = Array(secret.utf8)
            }
            let key = SymmetricKey(data: keyBytes)
            switch algorithm {
            case .hs384: return Array(HMAC<SHA384>.authenticationCode(for: input, using: key))
            case .hs512: return Array(HMAC<SHA512>.authenticationCode(for: input, using: key))
            default: return Array(HMAC<SHA256>.authenticationCode(for: input, using: key))
            }
        }
        guard let pem = privateKeyPEM else {
            throw Failure(
                "credential \"\(credential.key)\" uses \(algorithm.rawValue): pass its private key with --private-key FILE"
            )
        }
        do {
            switch algorithm {
            case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512:
                let key = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
                let padding: _RSA.Signing.Padding = algorithm.rawValue.hasPrefix("PS") ? .PSS : .insecurePKCS1v1_5
                switch algorithm {
                case .rs384, .ps384:
                    return Array(try key.signature(for: SHA384.hash(data: input), padding: padding).rawRepresentation)
                case .rs512, .ps512:
                    return Array(try key.signature(for: SHA512.hash(data: input), padding: padding).rawRepresentation)
                default: return Array(try key.signature(for: SHA256.hash(data: input), padding: padding).rawRepresentation)
                }
            case .es256:
                return Array(try P256.Signing.PrivateKey(pemRepresentation: pem).signature(for: input).rawRepresentation)
            case .es384:
                return Array(try P384.Signing.PrivateKey(pemRepresentation: pem).signature(for: input).rawRepresentation)
            case .es512:
                return Array(try P521.Signing.PrivateKey(pemRepresentation: pem).signature(for: input).rawRepresentation)
            case .edDSA:
                return Array(try Curve25519.Signing.PrivateKey(pemRepresentation: pem).signature(for: input))
            case .hs256, .hs384, .hs512:
                return []
            }
        } catch {
            throw Failure("the private key is not a valid \(algorithm.rawValue) PEM private key")
        }
    }
}
