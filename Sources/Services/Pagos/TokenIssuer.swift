import Foundation
import JWTKit

/// Signs the access tokens `pagos users` hands out at login (DESIGN §8): HS256 with `JWT_SECRET` by
/// default, or RS256 / EdDSA with a private key file (`--jwt-algorithm`, `--jwt-private-key`);
/// claims `iss`, `sub` (the user id as a string), `username`, `iat`, `exp`. The gateway's `jwt` plugin
/// verifies them with the consumer credential whose key is the same `iss`.
public struct TokenIssuer: Sendable {
    /// The claims of a GestorPagos access token.
    struct Claims: JWTPayload {
        var iss: IssuerClaim
        var sub: SubjectClaim
        var username: String
        var iat: IssuedAtClaim
        var exp: ExpirationClaim

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
        }
    }

    /// The `iss` claim (and the gateway credential's key).
    public let issuer: String
    /// How long a token is valid.
    public let lifetime: Duration
    private let keys: JWTKeyCollection

    /// How tokens are signed.
    public enum Signing: Sendable {
        /// HS256 with a shared secret (the gateway credential holds the same secret).
        case hs256(secret: String)
        /// RS256 with a PEM private key (the gateway credential holds the public key).
        case rs256(privateKeyPEM: String)
        /// EdDSA (Ed25519) with a PEM private key (the gateway credential holds the public key).
        case edDSA(privateKeyPEM: String)
    }

    /// Why a signing key could not be used.
    public struct KeyError: Error, CustomStringConvertible {
        public let description: String
    }

    /// An issuer signing with the shared secret `secret`.
    public init(secret: String, issuer: String, lifetime: Duration = .seconds(3600)) async {
        self.issuer = issuer
        self.lifetime = lifetime
        keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    /// An issuer signing as `signing` says; the key is parsed here, once.
    public init(signing: Signing, issuer: String, lifetime: Duration = .seconds(3600)) async throws {
        self.issuer = issuer
        self.lifetime = lifetime
        let keys = JWTKeyCollection()
        switch signing {
        case .hs256(let secret):
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        case .rs256(let pem):
            do {
                await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: pem), digestAlgorithm: .sha256)
            } catch {
                throw KeyError(description: "not an RSA private key in PEM: \(error)")
            }
        case .edDSA(let pem):
            do {
                await keys.add(eddsa: try EdDSA.PrivateKey(pem: pem))
            } catch {
                throw KeyError(description: "not an Ed25519 private key in PEM: \(error)")
            }
        }
        self.keys = keys
    }

    /// A signed token for `user`.
    public func token(userID: Int64, username: String, now: Date = Date()) async throws -> String {
        // Whole seconds: NumericDate as most verifiers (and Kong) expect it.
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let claims = Claims(
            iss: IssuerClaim(value: issuer),
            sub: SubjectClaim(value: String(userID)),
            username: username,
            iat: IssuedAtClaim(value: now),
            exp: ExpirationClaim(value: now.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
        )
        return try await keys.sign(claims, header: ["typ": "JWT"])
    }

    /// Verifies a token this issuer signed and returns its subject and username (for tests and tools).
    public func verify(_ token: String) async throws -> (userID: String, username: String) {
        let claims = try await keys.verify(token, as: Claims.self)
        return (claims.sub.value, claims.username)
    }
}
