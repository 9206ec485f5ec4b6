import Foundation
import GatewayTestSupport
import JWTKit
import NIOHTTP1
import Testing

@testable import Plugins

/// Kong's `spec/03-plugins/16-jwt/03-access_spec.lua`, case by case, through a real gateway, with
/// tokens minted by jwt-kit.
@Suite(.serialized) struct JWTAccessTests {
    static func headers(_ response: TestResponse) throws -> [String: String] {
        try (response.json()["headers"] as? [String: String]) ?? [:]
    }

    static func get(
        _ gateway: GatewayHarness,
        _ host: String,
        token: String? = nil,
        uri: String = "/echo",
        method: HTTPMethod = .GET,
        extra: [(String, String)] = []
    ) async throws -> TestResponse {
        var headers = [("Host", "\(host).test")] + extra
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try await gateway.request(method, uri, headers: headers)
    }

    static func message(_ response: TestResponse) throws -> String? {
        try response.json()["message"] as? String
    }

    @Test func refusals() async throws {
        try await withGateway(JWTFixture.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            // No token: plain `Bearer` challenge.
            let none = try await Self.get(gateway, "jwt")
            #expect(none.status == 401)
            #expect(try Self.message(none) == "Unauthorized")
            #expect(none.headers.first(name: "WWW-Authenticate") == "Bearer")

            let noIss = try await Self.get(gateway, "jwt", token: TestKeys.hs(TestClaims(sub: "x")))
            #expect(noIss.status == 401)
            #expect(try Self.message(noIss) == "No mandatory 'iss' in claims")
            #expect(noIss.headers.first(name: "WWW-Authenticate") == "Bearer error=\"invalid_token\"")

            let emptyIss = try await Self.get(gateway, "jwt", token: TestKeys.hs(TestClaims(iss: "")))
            #expect(try Self.message(emptyIss) == "Invalid 'iss' in claims")

            let unknown = try await Self.get(gateway, "jwt", token: TestKeys.hs(TestClaims(iss: "nobody")))
            #expect(unknown.status == 401)
            #expect(try Self.message(unknown) == "No credentials found for given 'iss'")

            let badSignature = try await Self.get(
                gateway,
                "jwt",
                token: TestKeys.hs(TestClaims(iss: "hs256-iss"), secret: String(repeating: "x", count: 40))
            )
            #expect(badSignature.status == 401)
            #expect(try Self.message(badSignature) == "Invalid signature")
            #expect(badSignature.headers.first(name: "WWW-Authenticate") == "Bearer error=\"invalid_token\"")

            // HS512 token for an HS256 credential: the credential decides.
            let wrongAlg = try await Self.get(
                gateway,
                "jwt",
                token: TestKeys.hs(TestClaims(iss: "hs256-iss"), secret: TestKeys.hmac512Secret, digest: .sha512)
            )
            #expect(try Self.message(wrongAlg) == "Invalid algorithm")

            let corrupted = try await Self.get(gateway, "jwt", token: "not.a.token")
            #expect(try Self.message(corrupted) == "Bad token; invalid JSON")

            let multiple = try await Self.get(
                gateway,
                "jwt",
                token: TestKeys.hs(TestClaims(iss: "hs256-iss")),
                uri: "/echo?jwt=\(try await TestKeys.hs(TestClaims(iss: "hs256-iss", sub: "other")))"
            )
            #expect(try Self.message(multiple) == "Multiple tokens provided")
            #expect(multiple.headers.first(name: "WWW-Authenticate") == "Bearer error=\"invalid_token\"")

            // The same token twice is one token.
            let token = try await TestKeys.hs(TestClaims(iss: "hs256-iss"))
            let twice = try await Self.get(gateway, "jwt", token: token, uri: "/echo?jwt=\(token)")
            #expect(twice.status == 200)
        }
    }

    @Test func everyAlgorithmIdentifiesTheConsumer() async throws {
        let tokens: [(String, String)] = [
            ("alice", try await TestKeys.hs(TestClaims(iss: "hs256-iss"))),
            ("alice", try await TestKeys.hs(TestClaims(iss: "hs512-iss"), secret: TestKeys.hmac512Secret, digest: .sha512)),
            ("alice", TestKeys.raw(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: #"{"iss":"short-iss"}"#, secret: "foo")),
            ("bob", try await TestKeys.rs(TestClaims(iss: "rs256-iss"))),
            ("bob", try await TestKeys.rs(TestClaims(iss: "rs512-iss"), digest: .sha512)),
            ("bob", try await TestKeys.rs(TestClaims(iss: "ps256-iss"), pss: true)),
            ("bob", try await TestKeys.rs(TestClaims(iss: "ps384-iss"), digest: .sha384, pss: true)),
            ("bob", try await TestKeys.es256(TestClaims(iss: "es256-iss"))),
            ("bob", try await TestKeys.es384(TestClaims(iss: "es384-iss"))),
            ("bob", try await TestKeys.es512(TestClaims(iss: "es512-iss"))),
            ("bob", try await TestKeys.eddsa(TestClaims(iss: "eddsa-iss"))),
        ]
        try await withGateway(JWTFixture.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            for (username, token) in tokens {
                let response = try await Self.get(gateway, "jwt", token: token)
                #expect(response.status == 200, "\(token)")
                let upstream = try Self.headers(response)
                #expect(upstream["x-consumer-username"] == username)
                #expect(upstream["x-consumer-id"]?.count == 36)
                #expect(upstream["x-credential-identifier"]?.hasSuffix("-iss") == true)
                #expect(upstream["x-anonymous-consumer"] == nil)
                #expect(upstream["authorization"] == "Bearer \(token)")
            }
            let alice = try Self.headers(try await Self.get(gateway, "jwt", token: tokens[0].1))
            #expect(alice["x-consumer-custom-id"] == "1")
            #expect(alice["x-credential-identifier"] == "hs256-iss")
        }
    }

    @Test func tokensFromCookiesHeadersAndParameters() async throws {
        let token = try await TestKeys.hs(TestClaims(iss: "hs256-iss"))
        try await withGateway(JWTFixture.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            for extra in [
                [("Cookie", "crumble=\(token); path=/;domain=.jwt.test")],
                [("Cookie", "silly=\(token); path=/;domain=.jwt.test")],
                [("CustomAuthorization", "Bearer \(token)")],
                [("CustomAuthorization", "bearer \(token)")],
            ] {
                let response = try await Self.get(gateway, "sources", extra: extra)
                #expect(response.status == 200, "\(extra)")
            }
            #expect(try await Self.get(gateway, "sources", uri: "/echo?token=\(token)").status == 200)
            #expect(try await Self.get(gateway, "sources", uri: "/echo?jwt=\(token)").status == 200)
            // The default header is not inspected when header_names replaces it.
            #expect(try await Self.get(gateway, "sources", token: token).status == 401)
            // A corrupted cookie.
            let corrupted = try await Self.get(gateway, "sources", extra: [("Cookie", "crumble=\(token.dropFirst(3))")])
            #expect(corrupted.status == 401)
            #expect(try Self.message(corrupted) == "Bad token; invalid JSON")
            // No cookie, no header.
            let nothing = try await Self.get(gateway, "sources", extra: [("Cookie", "other=1")])
            #expect(try Self.message(nothing) == "Unauthorized")
            // First occurrence of a duplicated header is used.
            let duplicated = try await Self.get(
                gateway,
                "sources",
                extra: [("CustomAuthorization", "Bearer \(token)"), ("CustomAuthorization", "Bearer junk")]
            )
            #expect(duplicated.status == 200)
            // Default uri_param_names on the default route.
            #expect(try await Self.get(gateway, "jwt", uri: "/echo?jwt=\(token)").status == 200)
        }
    }

    @Test func registeredClaims() async throws {
        let now = TestKeys.now
        try await withGateway(JWTFixture.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            // Kong's default checks nothing: an expired token passes where exp is not listed.
            #expect(
                try await Self.get(gateway, "jwt", token: TestKeys.hs(TestClaims(iss: "hs256-iss", exp: now - 10))).status == 200
            )

            let missing = try await Self.get(gateway, "claims", token: TestKeys.hs(TestClaims(iss: "hs256-iss")))
            #expect(missing.status == 401)
            let body = try missing.json()
            #expect(body["exp"] as? String == "must be a number")
            #expect(body["nbf"] as? String == "must be a number")
            #expect(body["message"] == nil)
            #expect(missing.headers.first(name: "WWW-Authenticate") == "Bearer error=\"invalid_token\"")

            let expired = try await Self.get(
                gateway,
                "claims",
                token: TestKeys.hs(TestClaims(iss: "hs256-iss", exp: now - 1, nbf: now - 10))
            )
            #expect(expired.status == 401)
            #expect(expired.text == #"{"exp":"token expired"}"#)

            let early = try await Self.get(
                gateway,
                "claims",
                token: TestKeys.hs(TestClaims(iss: "hs256-iss", exp: now + 100, nbf: now + 60))
            )
            #expect(early.text == #"{"nbf":"token not valid yet"}"#)

            let fine = try await Self.get(
                gateway,
                "claims",
                token: TestKeys.hs(TestClaims(iss: "hs256-iss", exp: now + 100, nbf: now - 1))
            )
            #expect(fine.status == 200)

            let tooLong = try await Self.get(gateway, "maxexp", token: TestKeys.hs(TestClaims(iss: "hs256-iss", exp: now + 3600)))
            #expect(tooLong.status == 401)
            #expect(tooLong.text == #"{"exp":"exceeds maximum allowed expiration"}"#)
            #expect(
                try await Self.get(gateway, "maxexp", token: TestKeys.hs(TestClaims(iss: "hs256-iss", exp: now + 30))).status
                    == 200
            )
        }
    }

    @Test func anonymousRealmPreflightAndKeyClaim() async throws {
        try await withGateway(JWTFixture.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let good = try await TestKeys.hs(TestClaims(iss: "hs256-iss"))
            let right = try Self.headers(try await Self.get(gateway, "anon", token: good))
            #expect(right["x-consumer-username"] == "alice")
            #expect(right["x-anonymous-consumer"] == nil)

            for host in ["anon", "anonid"] {
                let wrong = try await Self.get(gateway, host, token: "garbage", extra: [("X-Anonymous-Consumer", "forged")])
                #expect(wrong.status == 200)
                let upstream = try Self.headers(wrong)
                #expect(upstream["x-anonymous-consumer"] == "true")
                #expect(upstream["x-consumer-username"] == "anon")
                #expect(upstream["x-consumer-id"] == "6b0c9a3e-0000-4000-8000-00000000a000")
                #expect(upstream["x-credential-identifier"] == nil)
            }

            let missing = try await Self.get(gateway, "anonmissing")
            #expect(missing.status == 500)
            #expect(try Self.message(missing) == "anonymous consumer nobody is configured but doesn't exist")

            let realm = try await Self.get(gateway, "realm")
            #expect(realm.headers.first(name: "WWW-Authenticate") == "Bearer realm=\"pasarela\"")
            let realmInvalid = try await Self.get(gateway, "realm", token: "x.y.z")
            #expect(realmInvalid.headers.first(name: "WWW-Authenticate") == "Bearer realm=\"pasarela\", error=\"invalid_token\"")

            #expect(try await Self.get(gateway, "preflight", method: .OPTIONS).status == 200)
            let preflightChecked = try await Self.get(gateway, "jwt", method: .OPTIONS)
            #expect(preflightChecked.status == 401)
            #expect(try Self.message(preflightChecked) == "Unauthorized")

            // key_claim_name: sub
            let bySub = try await TestKeys.hs(TestClaims(iss: "whatever", sub: "hs256-iss"))
            #expect(try await Self.get(gateway, "sub", token: bySub).status == 200)

            // secret_is_base64: signed with the decoded secret.
            let b64 = try await TestKeys.hs(TestClaims(iss: "b64-iss"), secret: JWTFixture.base64SecretDecoded)
            #expect(try await Self.get(gateway, "b64", token: b64).status == 200)
            #expect(try await Self.get(gateway, "jwt", token: b64).status == 401)
            // A secret that is not base64 under secret_is_base64: Kong's `Invalid key/secret`.
            let undecodable = try await Self.get(gateway, "b64", token: TestKeys.hs(TestClaims(iss: "hs256-iss")))
            #expect(undecodable.status == 401)
            #expect(try Self.message(undecodable) == "Invalid key/secret")
        }
    }

    @Test func claimsToHeadersCannotBeForged() async throws {
        try await withGateway(JWTFixture.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let exp = TestKeys.now + 600
            let token = try await TestKeys.hs(TestClaims(iss: "hs256-iss", sub: "42", exp: exp, username: "Willis"))
            let forged = [("X-User-Id", "1"), ("X-User-Name", "root"), ("X-Consumer-Username", "root")]
            let response = try await Self.get(gateway, "headers", token: token, extra: forged)
            let upstream = try Self.headers(response)
            #expect(upstream["x-user-id"] == "42")
            #expect(upstream["x-user-name"] == "Willis")
            #expect(upstream["x-token-exp"] == String(exp))
            #expect(upstream["x-consumer-username"] == "alice")

            // A token without those claims: the client's headers are removed, not passed on.
            let bare = try await TestKeys.hs(TestClaims(iss: "hs256-iss"))
            let stripped = try Self.headers(try await Self.get(gateway, "headers", token: bare, extra: forged))
            #expect(stripped["x-user-id"] == nil)
            #expect(stripped["x-user-name"] == nil)

            // A claim with a line break is not turned into a header.
            let injected = TestKeys.raw(header: #"{"alg":"HS256"}"#, payload: #"{"iss":"hs256-iss","sub":"1\r\nX-Admin: yes"}"#)
            let injection = try await Self.get(gateway, "headers", token: injected)
            #expect(injection.status == 200)
            let injectedHeaders = try Self.headers(injection)
            #expect(injectedHeaders["x-user-id"] == nil)
            #expect(injectedHeaders["x-admin"] == nil)

            // Refused requests never reach the upstream at all.
            let refused = try await Self.get(gateway, "headers", token: "garbage", extra: forged)
            #expect(refused.status == 401)
        }
    }
}
