import Crypto
import Foundation
import Gateway
import GatewayTestSupport
import JWTKit
import Testing

@testable import Plugins

/// Pasarela's JWKS credentials: the refresh state machine with an injected clock, the key set
/// document, then a gateway against a real JWKS endpoint that rotates keys and goes down.
@Suite(.serialized) struct JWKSTests {
    // MARK: State machine

    static let timing = JWKSRefreshState.Timing(
        defaultTTL: 300,
        minimumTTL: 30,
        maximumTTL: 3600,
        unknownKIDInterval: 10,
        retryInterval: 15
    )

    @Test func fetchesAtStartThenWhenTheTTLRunsOut() {
        var state = JWKSRefreshState(timing: Self.timing)
        #expect(state.refreshDue(now: 0) == .fetch)
        #expect(state.refreshDue(now: 1) == .none)  // one fetch at a time
        #expect(state.fetchSucceeded(maxAge: 120, now: 2) == 122)
        #expect(state.refreshDue(now: 100) == .none)
        #expect(state.refreshDue(now: 122) == .fetch)
    }

    @Test(arguments: [(nil, 300.0), (5.0, 30.0), (0.0, 30.0), (120.0, 120.0), (1_000_000.0, 3600.0)] as [(Double?, Double)])
    func cacheLifetimeIsBounded(maxAge: Double?, ttl: Double) {
        var state = JWKSRefreshState(timing: Self.timing)
        _ = state.refreshDue(now: 0)
        #expect(state.fetchSucceeded(maxAge: maxAge, now: 0) == ttl)
    }

    @Test func unknownKeysRefetchAtMostOncePerInterval() {
        var state = JWKSRefreshState(timing: Self.timing)
        _ = state.refreshDue(now: 0)
        #expect(state.unknownKey(now: 1) == .waitForFetch)
        _ = state.fetchSucceeded(maxAge: nil, now: 1)
        #expect(state.unknownKey(now: 5) == .none)  // the start fetch was 5 s ago
        #expect(state.unknownKey(now: 10) == .fetch)
        #expect(state.unknownKey(now: 10.5) == .waitForFetch)
        _ = state.fetchSucceeded(maxAge: nil, now: 11)
        #expect(state.unknownKey(now: 15) == .none)
        #expect(state.unknownKey(now: 20) == .fetch)
    }

    @Test func failuresRetryAndKeepTheLastGoodSet() {
        var state = JWKSRefreshState(timing: Self.timing)
        _ = state.refreshDue(now: 0)
        _ = state.fetchSucceeded(maxAge: 60, now: 0)
        #expect(state.refreshDue(now: 60) == .fetch)
        #expect(state.fetchFailed(now: 61) == 76)
        #expect(state.hasKeys)
        #expect(state.refreshDue(now: 70) == .none)
        #expect(state.refreshDue(now: 76) == .fetch)
    }

    // MARK: Documents

    static func rsaJWK(_ key: JWTKit.Insecure.RSA.PrivateKey, kid: String?, alg: String? = "RS256") throws -> String {
        let primitives = try key.publicKey.getKeyPrimitives()
        var members = [
            #""kty":"RSA""#, #""n":"\#(Base64URL.encode(Array(primitives.modulus)))""#,
            #""e":"\#(Base64URL.encode(Array(primitives.publicExponent)))""#,
        ]
        if let kid { members.append(#""kid":"\#(kid)""#) }
        if let alg { members.append(#""alg":"\#(alg)""#) }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func ecJWK(_ key: ES256PrivateKey, kid: String) -> String {
        let parameters = key.publicKey.parameters
        return
            #"{"kty":"EC","crv":"P-256","x":"\#(parameters?.x ?? "")","y":"\#(parameters?.y ?? "")","kid":"\#(kid)","use":"sig"}"#
    }

    static func p521JWK(_ key: ES512PrivateKey, kid: String) -> String {
        let parameters = key.publicKey.parameters
        return #"{"kty":"EC","crv":"P-521","x":"\#(parameters?.x ?? "")","y":"\#(parameters?.y ?? "")","kid":"\#(kid)"}"#
    }

    @Test func documentsKeepUsableKeysOnly() throws {
        let json =
            "{\"keys\":["
            + [
                try Self.rsaJWK(TestKeys.rsa, kid: "r1"),
                try Self.rsaJWK(TestKeys.otherRSA, kid: "r2", alg: "RS512"),
                Self.ecJWK(TestKeys.p256, kid: "e1"),
                Self.p521JWK(TestKeys.p521, kid: "e5"),
                #"{"kty":"oct","k":"c2VjcmV0","kid":"o1"}"#,
                #"{"kty":"RSA","n":"!!","e":"AQAB","kid":"bad"}"#,
                #"{"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"}"#,
            ].joined(separator: ",") + "]}"
        let rs256 = try #require(JWKSDocument(Array(json.utf8), algorithm: .rs256))
        #expect(Set(rs256.keys.keys) == ["r1"])
        #expect(rs256.key(for: nil).map { _ in true } == true)  // the only key
        let es256 = try #require(JWKSDocument(Array(json.utf8), algorithm: .es256))
        #expect(Set(es256.keys.keys) == ["e1"])
        let es512 = try #require(JWKSDocument(Array(json.utf8), algorithm: .es512))
        #expect(Set(es512.keys.keys) == ["e5"])
        #expect(JWKSDocument(Array("[]".utf8), algorithm: .rs256)?.isEmpty == nil)
        #expect(JWKSDocument(Array(#"{"keys":{}}"#.utf8), algorithm: .rs256)?.isEmpty == nil)
    }

    @Test func cacheControlMaxAge() {
        #expect(JWKSFetcher.maxAge(nil) == nil)
        #expect(JWKSFetcher.maxAge("public, max-age=600") == 600)
        #expect(JWKSFetcher.maxAge("max-age=\"60\"") == 60)
        #expect(JWKSFetcher.maxAge("no-store") == 0)
        #expect(JWKSFetcher.maxAge("private") == nil)
    }

    // MARK: Through the gateway

    /// The jwt plugin on a JWKS registry with short timings, so that tests run in seconds.
    struct FastJWKSJWTPlugin: ConfigurablePlugin {
        static let name = "jwt"
        static let priority = 1450
        static let registry = JWKSRegistry(
            timing: .init(defaultTTL: 0.5, minimumTTL: 0.3, maximumTTL: 2, unknownKIDInterval: 0.3, retryInterval: 0.3)
        )
        let inner: JWTPlugin

        init(configuration: JWTConfig, context: PluginBuildContext) throws {
            inner = try JWTPlugin(
                configuration: configuration,
                context: context,
                jwks: Self.registry,
                now: { Date().timeIntervalSince1970 }
            )
        }

        func access(_ context: RequestContext) -> AccessStep { inner.access(context) }
    }

    static func yaml(_ uri: String, algorithm: String = "RS256", trusted: String = "system") -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
          lua_ssl_trusted_certificate: \(trusted)
        consumers:
          - username: idp-users
            jwt_secrets:
              - key: https://idp.test/
                algorithm: \(algorithm)
                jwks_uri: \(uri)
        services:
          - url: http://{{UPSTREAM}}
            routes:
              - paths: [/]
                strip_path: false
                plugins: [{name: jwt, config: {claims_to_headers: {sub: X-User-Id}}}]
        """
    }

    @Test func kidPicksTheKeyAndRotationNeedsNoRestart() async throws {
        let server = try await JWKSServer()
        defer { Task { await server.shutdown() } }
        server.state.serve(keys: [try Self.rsaJWK(TestKeys.rsa, kid: "k1")], cacheControl: nil)
        let registry = PluginRegistry([.of(FastJWKSJWTPlugin.self)])
        try await withGateway(Self.yaml(server.uri), registry: registry) { gateway, _ in
            func call(_ token: String) async throws -> TestResponse {
                try await gateway.request(.GET, "/echo", headers: [("Authorization", "Bearer \(token)")])
            }
            let first = try await TestKeys.rs(TestClaims(iss: "https://idp.test/", sub: "u1"), kid: "k1")
            let ok = try await call(first)
            #expect(ok.status == 200)
            #expect(try (ok.json()["headers"] as? [String: String])?["x-user-id"] == "u1")

            // A kid nobody published, and a token signed by another key under a known kid.
            let unknown = try await call(try await TestKeys.rs(TestClaims(iss: "https://idp.test/"), kid: "nope"))
            #expect(unknown.status == 401)
            #expect(try unknown.json()["message"] as? String == "Invalid signature")
            let forged = try await call(
                try await TestKeys.rs(TestClaims(iss: "https://idp.test/"), key: TestKeys.otherRSA, kid: "k1")
            )
            #expect(forged.status == 401)

            // Rotation: the endpoint now publishes k2 only; a k2 token triggers a refetch.
            server.state.serve(keys: [try Self.rsaJWK(TestKeys.otherRSA, kid: "k2")], cacheControl: nil)
            try await Task.sleep(for: .milliseconds(350))
            let rotated = try await call(
                try await TestKeys.rs(TestClaims(iss: "https://idp.test/"), key: TestKeys.otherRSA, kid: "k2")
            )
            #expect(rotated.status == 200)
            let retired = try await call(first)
            #expect(retired.status == 401)

            // The endpoint goes down: the last good set keeps serving, across several failed refreshes.
            server.state.setDown(true)
            let fetchesBefore = server.state.fetches
            try await Task.sleep(for: .milliseconds(1500))
            #expect(server.state.fetches > fetchesBefore)
            let stillFine = try await call(
                try await TestKeys.rs(TestClaims(iss: "https://idp.test/"), key: TestKeys.otherRSA, kid: "k2")
            )
            #expect(stillFine.status == 200)
        }
    }

    @Test func unknownKIDsDoNotHammerTheEndpoint() async throws {
        let server = try await JWKSServer()
        defer { Task { await server.shutdown() } }
        server.state.serve(keys: [Self.ecJWK(TestKeys.p256, kid: "e1")], cacheControl: "max-age=3600")
        let registry = PluginRegistry([.of(FastJWKSJWTPlugin.self)])
        try await withGateway(Self.yaml(server.uri, algorithm: "ES256"), registry: registry) { gateway, _ in
            let good = try await TestKeys.es256(TestClaims(iss: "https://idp.test/"), kid: "e1")
            #expect(try await gateway.request(.GET, "/echo", headers: [("Authorization", "Bearer \(good)")]).status == 200)
            let before = server.state.fetches
            let bogus = try await TestKeys.es256(TestClaims(iss: "https://idp.test/"), kid: "bogus")
            let started = ContinuousClock.now
            for _ in 0..<20 {
                let response = try await gateway.request(.GET, "/echo", headers: [("Authorization", "Bearer \(bogus)")])
                #expect(response.status == 401)
            }
            // At most one refetch per 0.3 s, however long the 20 requests took (a loaded machine is
            // slow): without the limit every request would fetch.
            let elapsed = started.duration(to: .now).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            #expect(server.state.fetches - before <= Int(seconds / 0.3) + 2)
        }
    }

    @Test(arguments: ["localhost", "127.0.0.1"])
    func httpsEndpointsAreVerifiedAgainstTheTrustedCertificates(host: String) async throws {
        let server = try await JWKSServer(tls: true)
        defer { Task { await server.shutdown() } }
        server.state.serve(keys: [try Self.rsaJWK(TestKeys.rsa, kid: "k1")], cacheControl: nil)
        let registry = PluginRegistry([.of(FastJWKSJWTPlugin.self)])
        let token = try await TestKeys.rs(TestClaims(iss: "https://idp.test/", sub: "u1"), kid: "k1")
        let trusted = Self.yaml(server.uri(host: host), trusted: "system, \(TLSFixtures.caFile)")
        try await withGateway(trusted, registry: registry) { gateway, _ in
            let response = try await gateway.request(.GET, "/echo", headers: [("Authorization", "Bearer \(token)")])
            #expect(response.status == 200, "\(response.text)")
            #expect(server.state.fetches >= 1)
        }
        // The same server when its CA is not trusted: the keys are never believed, and nothing is a 5xx.
        let fetchesBefore = server.state.fetches
        try await withGateway(Self.yaml(server.uri(host: host)), registry: registry) { gateway, _ in
            let response = try await gateway.request(.GET, "/echo", headers: [("Authorization", "Bearer \(token)")])
            #expect(response.status == 401)
        }
        #expect(server.state.fetches == fetchesBefore)  // the handshake failed before any request
    }

    @Test func anEndpointDownAtStartRefusesWithoutA5xx() async throws {
        let port = try await unusedPort()
        let registry = PluginRegistry([.of(FastJWKSJWTPlugin.self)])
        try await withGateway(Self.yaml("http://127.0.0.1:\(port)/jwks.json"), registry: registry) { gateway, _ in
            let token = try await TestKeys.rs(TestClaims(iss: "https://idp.test/"), kid: "k1")
            let response = try await gateway.request(.GET, "/echo", headers: [("Authorization", "Bearer \(token)")])
            #expect(response.status == 401)
        }
    }
}
