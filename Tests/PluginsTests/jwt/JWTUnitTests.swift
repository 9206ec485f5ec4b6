import Crypto
import Foundation
import Gateway
import JWTKit
import Testing

@testable import Plugins

/// The jwt plugin's pure parts: base64url, token decoding, claims, token sources, keys (its JSON is
/// the shared parser's, tested in `JSONValueTests`).
@Suite struct JWTUnitTests {
    @Test(arguments: [
        ("", [UInt8]()),
        ("Zg", Array("f".utf8)),
        ("Zm8", Array("fo".utf8)),
        ("Zm9v", Array("foo".utf8)),
        ("Zm9vYg==", Array("foob".utf8)),
        ("-_8", [0xFB, 0xFF]),
        ("+/8", [0xFB, 0xFF]),
    ])
    func base64URLDecodes(text: String, bytes: [UInt8]) {
        #expect(Base64URL.decode(text) == bytes)
    }

    @Test(arguments: ["a", "Zm9vY", "Zm9v!", "Zm9v===", "Zm 9v", "Zm9v\n"])
    func base64URLRefuses(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test func base64URLRoundTrips() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(($0 * 37 + 11) % 256) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test func tokenDecodesAsKongDoes() throws {
        let token = TestKeys.raw(header: #"{"alg":"HS256","kid":"k1"}"#, payload: #"{"iss":"a","n":1}"#)
        let decoded = try JWTToken(token)
        #expect(decoded.algorithm == "HS256")
        #expect(decoded.keyID == "k1")
        #expect(decoded.claims["iss"] == .string("a"))
        #expect(
            String(decoding: decoded.signingInput, as: UTF8.self) == token.split(separator: ".").prefix(2).joined(separator: ".")
        )
        #expect(decoded.signature.count == 32)
    }

    @Test(arguments: [
        ("abc", JWTToken.DecodeError.invalidJSON),
        ("a.b", .invalidJSON),
        ("e30.e30.sig", .invalidAlg),
        ("eyJhbGciOiJIUzI1NiJ9.e30.si*g", .invalidSignature),
        ("eyJhbGciOiJIUzI1NiJ9.e30.sig.extra", .invalidSignature),
        ("eyJhbGciOiJub25lIn0.e30.", .invalidAlg),
    ])
    func tokenRefuses(token: String, error: JWTToken.DecodeError) {
        #expect(throws: error) { try JWTToken(token) }
    }

    @Test func claimsChecks() {
        let now = 1_000.0
        func check(_ claims: JSONObject, _ verify: [JWTConfig.VerifiableClaim], max: Double = 0) -> [String] {
            JWTClaimsCheck.failures(claims: claims, verifying: verify, maximumExpiration: max, now: now).map { "\($0.0)=\($0.1)" }
        }
        #expect(check([:], []) == [])
        #expect(check([:], [.exp, .nbf]) == ["exp=must be a number", "nbf=must be a number"])
        #expect(check(["exp": .number("1000")], [.exp]) == ["exp=token expired"])
        #expect(check(["exp": .number("1001")], [.exp]) == [])
        #expect(check(["nbf": .number("1001")], [.nbf]) == ["nbf=token not valid yet"])
        #expect(check(["nbf": .number("1000")], [.nbf]) == [])
        #expect(check(["exp": .string("2000")], [.exp]) == ["exp=must be a number"])
        #expect(check(["exp": .bool(true)], [.exp]) == ["exp=must be a number"])
        #expect(check(["exp": .number("1061")], [.exp], max: 60) == ["exp=exceeds maximum allowed expiration"])
        #expect(check(["exp": .number("1060")], [.exp], max: 60) == [])
    }

    @Test(
        arguments: [
            ("Bearer abc", "abc"),
            ("bearer abc", "abc"),
            ("  Bearer   abc", "abc"),
            ("Token x, Bearer abc", "abc"),
            ("BEARER abc", nil),
            ("Bearerabc", nil),
            ("Basic abc", nil),
            ("Bearer", nil),
            ("Bearer ", nil),
            ("Bearer x Bearer y", "x Bearer y"),
        ] as [(String, String?)]
    )
    func bearerTokens(header: String, token: String?) {
        #expect(JWTTokenSources.bearerToken(in: header) == token)
    }

    @Test func everyKeyVerifiesWhatJWTKitSigns() async throws {
        let claims = TestClaims(iss: "x")
        let cases: [(String, JWTVerificationKey)] = [
            (try await TestKeys.hs(claims), try .hmac(secret: TestKeys.hmacSecret, base64: false, algorithm: .hs256)),
            (
                try await TestKeys.hs(claims, secret: TestKeys.hmac512Secret, digest: .sha384),
                try .hmac(secret: TestKeys.hmac512Secret, base64: false, algorithm: .hs384)
            ),
            (
                try await TestKeys.hs(claims, secret: TestKeys.hmac512Secret, digest: .sha512),
                try .hmac(secret: TestKeys.hmac512Secret, base64: false, algorithm: .hs512)
            ),
            (try await TestKeys.rs(claims), try .publicKey(pem: TestKeys.rsa.publicKey.pemRepresentation, algorithm: .rs256)),
            (
                try await TestKeys.rs(claims, digest: .sha384),
                try .publicKey(pem: TestKeys.rsa.publicKey.pemRepresentation, algorithm: .rs384)
            ),
            (
                try await TestKeys.rs(claims, digest: .sha512),
                try .publicKey(pem: TestKeys.rsa.publicKey.pemRepresentation, algorithm: .rs512)
            ),
            (
                try await TestKeys.rs(claims, pss: true),
                try .publicKey(pem: TestKeys.rsa.publicKey.pemRepresentation, algorithm: .ps256)
            ),
            (
                try await TestKeys.rs(claims, digest: .sha384, pss: true),
                try .publicKey(pem: TestKeys.rsa.publicKey.pemRepresentation, algorithm: .ps384)
            ),
            (
                try await TestKeys.rs(claims, digest: .sha512, pss: true),
                try .publicKey(pem: TestKeys.rsa.publicKey.pemRepresentation, algorithm: .ps512)
            ),
            (try await TestKeys.es256(claims), try .publicKey(pem: TestKeys.p256.publicKey.pemRepresentation, algorithm: .es256)),
            (try await TestKeys.es384(claims), try .publicKey(pem: TestKeys.p384.publicKey.pemRepresentation, algorithm: .es384)),
            (try await TestKeys.es512(claims), try .publicKey(pem: TestKeys.p521.publicKey.pemRepresentation, algorithm: .es512)),
            (
                try await TestKeys.eddsa(claims),
                try .publicKey(pem: TestKeys.ed25519.publicKey.pemRepresentation, algorithm: .edDSA)
            ),
        ]
        for (token, key) in cases {
            let decoded = try JWTToken(token)
            #expect(decoded.algorithm == key.algorithm.rawValue)
            #expect(key.verifies(decoded.signature, input: decoded.signingInput), "\(key.algorithm)")
            var tampered = decoded.signature
            tampered[tampered.count / 2] ^= 0x40
            #expect(!key.verifies(tampered, input: decoded.signingInput), "\(key.algorithm)")
            #expect(!key.verifies([], input: decoded.signingInput), "\(key.algorithm)")
        }
    }

    @Test func shortHMACSecretsWork() throws {
        let token = TestKeys.raw(header: #"{"alg":"HS256"}"#, payload: "{}", secret: "k")
        let decoded = try JWTToken(token)
        #expect(
            try JWTVerificationKey.hmac(secret: "k", base64: false, algorithm: .hs256).verifies(
                decoded.signature,
                input: decoded.signingInput
            )
        )
    }

    @Test func publicKeysAreCheckedAgainstTheAlgorithm() {
        #expect(throws: JWTVerificationKey.KeyError.self) {
            try JWTVerificationKey.publicKey(pem: TestKeys.p256.publicKey.pemRepresentation, algorithm: .rs256)
        }
        #expect(throws: JWTVerificationKey.KeyError.self) {
            try JWTVerificationKey.publicKey(pem: TestKeys.rsa.publicKey.pemRepresentation, algorithm: .es256)
        }
        #expect(throws: JWTVerificationKey.KeyError.self) {
            try JWTVerificationKey.publicKey(pem: TestKeys.p384.publicKey.pemRepresentation, algorithm: .es512)
        }
        #expect(throws: JWTVerificationKey.KeyError.self) {
            try JWTVerificationKey.publicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", algorithm: .edDSA)
        }
    }

    @Test func headerValuesFromClaims() {
        #expect(JWTPlugin.headerValue(.string("42")) == "42")
        #expect(JWTPlugin.headerValue(.number("42")) == "42")
        #expect(JWTPlugin.headerValue(.bool(true)) == "true")
        #expect(JWTPlugin.headerValue(.array([.string("a"), .number("1")])) == #"["a",1]"#)
        #expect(JWTPlugin.headerValue(.object(["b": .number("2"), "a": .string("x")])) == #"{"b":2,"a":"x"}"#)
        #expect(JWTPlugin.headerValue(.null) == nil)
        #expect(JWTPlugin.headerValue(.string("a\r\nb")) == nil)
        #expect(JWTPlugin.headerValue(.string("a\u{0}b")) == nil)
    }
}
