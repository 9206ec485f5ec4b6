import Crypto
import CryptoExtras
import Foundation
import Testing

@testable import Services

@Suite("pagos: passwords, tokens, money")
struct PagosUnitTests {
    let hasher = PasswordHasher(logRounds: 10)

    @Test func passwordsVerifyOnlyWithTheRightPassword() throws {
        let hash = try hasher.hash("correct horse")
        #expect(hash.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        #expect(!hash.contains("correct horse"))
        #expect(hasher.verify("correct horse", against: hash))
        #expect(!hasher.verify("correct hors", against: hash))
        #expect(!hasher.verify("", against: hash))
        // Salted: the same password never hashes the same way twice.
        #expect(try hasher.hash("correct horse") != hash)
        // A hash made with other parameters still verifies (they travel in the string).
        #expect(PasswordHasher(logRounds: 12).verify("correct horse", against: hash))
    }

    @Test(arguments: ["", "plain", "$scrypt$ln=10$x$y", "$scrypt$ln=40,r=8,p=1$AAAA$AAAA", "$argon2id$v=19$m=1$AAAA$AAAA"])
    func malformedHashesNeverVerify(_ encoded: String) {
        #expect(!hasher.verify("anything", against: encoded))
    }

    @Test func hs256TokensCarryTheClaimsTheGatewayChecks() async throws {
        let issuer = await TokenIssuer(secret: "a-long-enough-test-secret-0123456789", issuer: "gestorpagos")
        let now = Date(timeIntervalSince1970: 1_900_000_000.75)
        let token = try await issuer.token(userID: 42, username: "ana", now: now)
        let parts = token.split(separator: ".")
        #expect(parts.count == 3)
        let claims = try #require(Self.decodeSegment(parts[1]))
        #expect(claims["iss"] as? String == "gestorpagos")
        #expect(claims["sub"] as? String == "42")
        #expect(claims["username"] as? String == "ana")
        #expect((claims["iat"] as? NSNumber)?.int64Value == 1_900_000_000)
        #expect((claims["exp"] as? NSNumber)?.int64Value == 1_900_003_600)
        #expect(Self.decodeSegment(parts[0])?["alg"] as? String == "HS256")
        let other = await TokenIssuer(secret: "another-secret-of-enough-length-0000", issuer: "gestorpagos")
        await #expect(throws: (any Error).self) { try await other.verify(token) }
    }

    @Test func rs256AndEdDSATokensFromKeyFiles() async throws {
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let rsIssuer = try await TokenIssuer(signing: .rs256(privateKeyPEM: rsa.pemRepresentation), issuer: "gestorpagos")
        let rsToken = try await rsIssuer.token(userID: 1, username: "willis")
        #expect(Self.decodeSegment(rsToken.split(separator: ".")[0])?["alg"] as? String == "RS256")
        #expect(try await rsIssuer.verify(rsToken) == ("1", "willis"))

        let ed = Curve25519.Signing.PrivateKey()
        let edIssuer = try await TokenIssuer(signing: .edDSA(privateKeyPEM: ed.pemRepresentation), issuer: "gestorpagos")
        let edToken = try await edIssuer.token(userID: 2, username: "ana")
        #expect(Self.decodeSegment(edToken.split(separator: ".")[0])?["alg"] as? String == "EdDSA")
        #expect(try await edIssuer.verify(edToken) == ("2", "ana"))

        await #expect(throws: TokenIssuer.KeyError.self) {
            _ = try await TokenIssuer(signing: .rs256(privateKeyPEM: "not a key"), issuer: "x")
        }
    }

    @Test func legacyAmountsAreExactCents() {
        #expect(Money.majorUnits(50_000) == 500)
        #expect(Money.majorUnits(49_950) == Decimal(string: "499.5"))
        #expect(Money.cents(fromMajorUnits: Decimal(string: "12.5")!) == 1250)
        #expect(Money.cents(fromMajorUnits: 10) == 1000)
        #expect(Money.cents(fromMajorUnits: Decimal(string: "0.01")!) == 1)
        #expect(Money.cents(fromMajorUnits: Decimal(string: "0.001")!) == nil)
        #expect(Money.cents(fromMajorUnits: 0) == nil)
        #expect(Money.cents(fromMajorUnits: -5) == nil)
    }

    static func decodeSegment(_ segment: Substring) -> [String: Any]? {
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }
}
