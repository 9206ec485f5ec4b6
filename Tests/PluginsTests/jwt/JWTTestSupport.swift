import Crypto
import CryptoExtras
import Foundation
import JWTKit

@testable import Plugins

/// Claims for tokens minted with jwt-kit (an implementation independent of the plugin's).
struct TestClaims: JWTPayload, Equatable {
    var iss: String?
    var sub: String?
    var exp: Int?
    var nbf: Int?
    var username: String?
    var aud: String?

    init(iss: String? = nil, sub: String? = nil, exp: Int? = nil, nbf: Int? = nil, username: String? = nil, aud: String? = nil) {
        self.iss = iss
        self.sub = sub
        self.exp = exp
        self.nbf = nbf
        self.username = username
        self.aud = aud
    }

    func verify(using algorithm: some JWTKit.JWTAlgorithm) async throws {}
}

/// Keys generated once per test process, and tokens minted with them by jwt-kit.
enum TestKeys {
    static let hmacSecret = "a-secret-of-at-least-thirty-two-bytes!!"
    static let hmac512Secret = String(repeating: "k", count: 64)
    static let rsa: JWTKit.Insecure.RSA.PrivateKey = {
        do { return try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048)) } catch {
            fatalError("RSA key generation failed: \(error)")
        }
    }()
    static let otherRSA: JWTKit.Insecure.RSA.PrivateKey = {
        do { return try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048)) } catch {
            fatalError("RSA key generation failed: \(error)")
        }
    }()
    static let p256 = ES256PrivateKey()
    static let p384 = ES384PrivateKey()
    static let p521 = ES512PrivateKey()
    static let ed25519: EdDSA.PrivateKey = {
        do { return try EdDSA.PrivateKey(curve: .ed25519) } catch { fatalError("Ed25519 key generation failed: \(error)") }
    }()

    static var now: Int { Int(Date().timeIntervalSince1970) }

    static func hs(
        _ claims: TestClaims,
        secret: String = hmacSecret,
        digest: JWTKit.DigestAlgorithm = .sha256,
        kid: String? = nil
    ) async throws
        -> String
    {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: digest)
        return try await keys.sign(claims, kid: kid.map { JWKIdentifier(string: $0) })
    }

    static func rs(
        _ claims: TestClaims,
        key: JWTKit.Insecure.RSA.PrivateKey = rsa,
        digest: JWTKit.DigestAlgorithm = .sha256,
        pss: Bool = false,
        kid: String? = nil
    )
        async throws -> String
    {
        let keys = JWTKeyCollection()
        if pss {
            await keys.add(pss: key, digestAlgorithm: digest)
        } else {
            await keys.add(rsa: key, digestAlgorithm: digest)
        }
        return try await keys.sign(claims, kid: kid.map { JWKIdentifier(string: $0) })
    }

    static func es256(_ claims: TestClaims, key: ES256PrivateKey = p256, kid: String? = nil) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key)
        return try await keys.sign(claims, kid: kid.map { JWKIdentifier(string: $0) })
    }

    static func es384(_ claims: TestClaims) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: p384)
        return try await keys.sign(claims)
    }

    static func es512(_ claims: TestClaims, key: ES512PrivateKey = p521) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key)
        return try await keys.sign(claims)
    }

    static func eddsa(_ claims: TestClaims, key: EdDSA.PrivateKey = ed25519) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(eddsa: key)
        return try await keys.sign(claims)
    }

    /// A token assembled by hand: any header and payload text, signed with HMAC-SHA256 over
    /// exactly those bytes (or given a raw signature segment).
    static func raw(header: String, payload: String, secret: String = hmacSecret, signature: String? = nil) -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        if let signature { return input + "." + signature }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return input + "." + Base64URL.encode(Array(mac))
    }

    /// PEM text indented for a YAML block scalar.
    static func yamlBlock(_ pem: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        return "|\n" + pem.split(separator: "\n").map { pad + $0 }.joined(separator: "\n")
    }
}
