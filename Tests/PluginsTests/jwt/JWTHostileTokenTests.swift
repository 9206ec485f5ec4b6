import Crypto
import Foundation
import GatewayTestSupport
import JWTKit
import Testing

@testable import Plugins

/// Malformed and hostile tokens: none gets through, none causes a 5xx, every refusal is Kong's
/// 401 with a JSON body and a `WWW-Authenticate` challenge.
@Suite(.serialized) struct JWTHostileTokenTests {
    static let header = #"{"alg":"HS256","typ":"JWT"}"#
    static let claims = #"{"iss":"hs256-iss"}"#

    /// (name, token, expected message or nil for a claims error body).
    static func corpus() async throws -> [(String, String, String?)] {
        let now = TestKeys.now
        let good = TestKeys.raw(header: header, payload: claims)
        let parts = good.split(separator: ".").map(String.init)
        let rsaPublicPEM = TestKeys.rsa.publicKey.pemRepresentation
        let confusion = TestKeys.raw(header: #"{"alg":"HS256"}"#, payload: #"{"iss":"rs256-iss"}"#, secret: rsaPublicPEM)
        let confusionWithRSAHeader = TestKeys.raw(
            header: #"{"alg":"RS256"}"#,
            payload: #"{"iss":"rs256-iss"}"#,
            secret: rsaPublicPEM
        )
        let huge = TestKeys.raw(
            header: header,
            payload: #"{"iss":"hs256-iss","pad":""# + String(repeating: "A", count: 48 * 1024) + #""}"#
        )
        let deep = TestKeys.raw(
            header: header,
            payload: String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        )
        return [
            ("empty bearer", "", "Unauthorized"),
            ("one segment", "abc", "Bad token; invalid JSON"),
            ("two segments", parts[0] + "." + parts[1], "Bad token; invalid JSON"),
            ("truncated signature", String(good.dropLast(5)), "Invalid signature"),
            ("truncated payload", parts[0] + "." + parts[1].dropLast(3) + "." + parts[2], "Bad token; invalid JSON"),
            ("extra segment", good + ".extra", "Bad token; invalid signature"),
            ("extra empty segment", good + ".", "Bad token; invalid signature"),
            ("empty signature", parts[0] + "." + parts[1] + ".", "Invalid signature"),
            ("bad base64 header", "%%%." + parts[1] + "." + parts[2], "Bad token; invalid JSON"),
            ("bad base64 signature", parts[0] + "." + parts[1] + ".***", "Bad token; invalid signature"),
            ("base64 length 1 mod 4", parts[0] + "." + parts[1] + "x." + parts[2], "Bad token; invalid JSON"),
            ("payload is a number", TestKeys.raw(header: header, payload: "123"), "Bad token; invalid JSON"),
            ("payload is a string", TestKeys.raw(header: header, payload: #""hs256-iss""#), "Bad token; invalid JSON"),
            ("payload is an array", TestKeys.raw(header: header, payload: #"["iss"]"#), "Bad token; invalid JSON"),
            ("payload is null", TestKeys.raw(header: header, payload: "null"), "Bad token; invalid JSON"),
            ("header is an array", TestKeys.raw(header: "[1]", payload: claims), "Bad token; invalid JSON"),
            ("payload not JSON", TestKeys.raw(header: header, payload: "{iss:hs256-iss}"), "Bad token; invalid JSON"),
            ("payload trailing garbage", TestKeys.raw(header: header, payload: claims + "x"), "Bad token; invalid JSON"),
            (
                "payload invalid UTF-8",
                Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) + "."
                    + parts[2], "Bad token; invalid JSON"
            ),
            ("deeply nested payload", deep, "Bad token; invalid JSON"),
            ("alg none", TestKeys.raw(header: #"{"alg":"none"}"#, payload: claims, signature: ""), "Bad token; invalid alg"),
            ("alg None", TestKeys.raw(header: #"{"alg":"None"}"#, payload: claims, signature: ""), "Bad token; invalid alg"),
            ("alg missing", TestKeys.raw(header: #"{"typ":"JWT"}"#, payload: claims), "Bad token; invalid alg"),
            ("alg not a string", TestKeys.raw(header: #"{"alg":256}"#, payload: claims), "Bad token; invalid alg"),
            ("alg lower case", TestKeys.raw(header: #"{"alg":"hs256"}"#, payload: claims), "Bad token; invalid alg"),
            ("alg confusion: HS256 with the RSA public key", confusion, "Invalid algorithm"),
            ("alg confusion: RS256 header, HMAC signature", confusionWithRSAHeader, "Invalid signature"),
            ("alg ES512 for HS credential", TestKeys.raw(header: #"{"alg":"ES512"}"#, payload: claims), "Invalid algorithm"),
            ("signature of another secret", TestKeys.raw(header: header, payload: claims, secret: "wrong"), "Invalid signature"),
            (
                "signature flipped bit",
                parts[0] + "." + parts[1] + "."
                    + Base64URL.encode(
                        (Base64URL.decode(parts[2]) ?? []).enumerated().map { $0.offset == 0 ? $0.element ^ 1 : $0.element }
                    ), "Invalid signature"
            ),
            (
                "payload swapped after signing",
                parts[0] + "." + Base64URL.encode(Array(#"{"iss":"hs256-iss","admin":true}"#.utf8)) + "." + parts[2],
                "Invalid signature"
            ),
            ("iss is a number", TestKeys.raw(header: header, payload: #"{"iss":123}"#), "No credentials found for given 'iss'"),
            (
                "iss is an object", TestKeys.raw(header: header, payload: #"{"iss":{"a":1}}"#),
                "No credentials found for given 'iss'"
            ),
            ("iss is null", TestKeys.raw(header: header, payload: #"{"iss":null}"#), "No credentials found for given 'iss'"),
            ("iss is false", TestKeys.raw(header: header, payload: #"{"iss":false}"#), "No mandatory 'iss' in claims"),
            (
                "unknown iss", TestKeys.raw(header: header, payload: #"{"iss":"HS256-ISS"}"#),
                "No credentials found for given 'iss'"
            ),
            ("64 KB token", huge, nil),
            (
                "RS256 signed by another key", try await TestKeys.rs(TestClaims(iss: "rs256-iss"), key: TestKeys.otherRSA),
                "Invalid signature"
            ),
            (
                "ES256 signed by another key", try await TestKeys.es256(TestClaims(iss: "es256-iss"), key: ES256PrivateKey()),
                "Invalid signature"
            ),
            (
                "ES256 DER-length signature",
                TestKeys.raw(
                    header: #"{"alg":"ES256"}"#,
                    payload: #"{"iss":"es256-iss"}"#,
                    signature: Base64URL.encode([UInt8](repeating: 1, count: 72))
                ), "Invalid signature"
            ),
            (
                "EdDSA signed by another key",
                try await TestKeys.eddsa(TestClaims(iss: "eddsa-iss"), key: try EdDSA.PrivateKey(curve: .ed25519)),
                "Invalid signature"
            ),
            (
                "EdDSA empty signature",
                TestKeys.raw(header: #"{"alg":"EdDSA"}"#, payload: #"{"iss":"eddsa-iss"}"#, signature: ""), "Invalid signature"
            ),
            (
                "PS256 token for an RS256 credential", try await TestKeys.rs(TestClaims(iss: "rs256-iss"), pss: true),
                "Invalid algorithm"
            ),
            (
                "wrong kid is irrelevant for static keys",
                try await TestKeys.hs(
                    TestClaims(iss: "hs256-iss"),
                    secret: "another-secret-of-at-least-32-bytes!!",
                    kid: "other"
                ), "Invalid signature"
            ),
            ("expired by 1 s", try await TestKeys.hs(TestClaims(iss: "hs256-iss", exp: now - 1, nbf: now - 60)), nil),
            ("expires now", try await TestKeys.hs(TestClaims(iss: "hs256-iss", exp: now, nbf: now - 60)), nil),
            ("nbf in the future", try await TestKeys.hs(TestClaims(iss: "hs256-iss", exp: now + 7200, nbf: now + 3600)), nil),
            ("exp is a string", TestKeys.raw(header: header, payload: #"{"iss":"hs256-iss","exp":"9999999999","nbf":0}"#), nil),
            ("exp is a boolean", TestKeys.raw(header: header, payload: #"{"iss":"hs256-iss","exp":true,"nbf":0}"#), nil),
            ("spaces inside", "a b.c d.e f", "Bad token; invalid JSON"),
            ("unicode", "ä.ö.ü", "Bad token; invalid JSON"),
        ]
    }

    @Test func noHostileTokenGetsThrough() async throws {
        let corpus = try await Self.corpus()
        #expect(corpus.count >= 30)
        try await withGateway(JWTFixture.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            for (name, token, expected) in corpus {
                // The `claims` route verifies exp and nbf; every other check is the same on every route.
                let response: TestResponse
                do {
                    response = try await gateway.request(
                        .GET,
                        "/echo",
                        headers: [("Host", "claims.test"), ("Authorization", "Bearer \(token)")]
                    )
                } catch {
                    Issue.record("\(name): \(error)")
                    continue
                }
                #expect(response.status == 401, "\(name): \(response.status) \(response.text.prefix(200))")
                #expect(response.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true, "\(name)")
                let body = try response.json()
                if let expected {
                    #expect(body["message"] as? String == expected, "\(name): \(response.text.prefix(200))")
                } else {
                    #expect(body["exp"] != nil || body["nbf"] != nil, "\(name): \(response.text.prefix(200))")
                }
            }
        }
    }

    @Test func controlCharactersInAQueryToken() async throws {
        try await withGateway(JWTFixture.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let response = try await gateway.request(.GET, "/echo?jwt=%01%02.%0D%0A.%00", headers: [("Host", "claims.test")])
            #expect(response.status == 401)
            #expect(try response.json()["message"] as? String == "Bad token; invalid JSON")
        }
    }

    @Test func aTokenTooLargeForTheHeaderLimitIsRefusedWithoutA5xx() async throws {
        let token = TestKeys.raw(
            header: Self.header,
            payload: #"{"iss":"hs256-iss","pad":""# + String(repeating: "A", count: 200 * 1024) + #""}"#
        )
        try await withGateway(JWTFixture.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let response = try await gateway.request(
                .GET,
                "/echo",
                headers: [("Host", "jwt.test"), ("Authorization", "Bearer \(token)")]
            )
            #expect(response.status == 431 || response.status == 401)
        }
    }
}
