import Gateway
import GatewayTestSupport
import Logging
import NIOHTTP1
import Testing

@testable import Plugins

/// Kong's key-auth: config, then through a real gateway (`spec/03-plugins/09-key-auth`).
@Suite(.serialized) struct KeyAuthTests {
    @Test func kongDefaults() {
        let config = KeyAuthConfig()
        #expect(config.keyNames == ["apikey"])
        #expect(config.hideCredentials == false)
        #expect(config.keyInHeader && config.keyInQuery && !config.keyInBody)
        #expect(config.runOnPreflight)
        #expect(config.anonymous == nil && config.realm == nil)
    }

    @Test func rejectsBadKeyNames() {
        let lines = GatewayLoader.load(
            contents: """
                _format_version: "3.0"
                plugins:
                  - name: key-auth
                    config: {key_names: ["api key"], key_in_body: true}
                """,
            file: "g.yaml",
            environment: [:],
            registry: BuiltinPlugins.registry,
            logger: Logger(label: "t")
        ).diagnostics.sorted.map(\.description)
        #expect(lines.contains { $0.contains("key_names") && $0.contains("bad header name 'api key'") })
        #expect(!lines.contains { $0.contains("key_in_body") })
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals(Array("abc".utf8), Array("abc".utf8)))
        #expect(!ConstantTime.equals(Array("abc".utf8), Array("abd".utf8)))
        #expect(!ConstantTime.equals(Array("abc".utf8), Array("ab".utf8)))
        #expect(!ConstantTime.equals(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!ConstantTime.equals([UInt8](), Array("a".utf8)))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
    }

    static let yaml = """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
        consumers:
          - username: legacy-client
            custom_id: "7"
            keyauth_credentials:
              - key: k-123
                id: 11111111-2222-4333-8444-555555555555
              - key: second-key
          - username: anon
          - username: expired
            keyauth_credentials:
              - key: old-key
                ttl: 1
        services:
          - url: http://{{UPSTREAM}}
            routes:
              - hosts: [key.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth}]
              - hosts: [hide.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth, config: {hide_credentials: true, key_names: [apikey, x-api-key]}}]
              - hosts: [anon.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth, config: {anonymous: anon}}]
              - hosts: [realm.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth, config: {realm: legacy, key_in_query: false}}]
              - hosts: [preflight.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth, config: {run_on_preflight: false}}]
              - hosts: [body.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth, config: {key_in_body: true, key_names: [apikey, x-api-key]}}]
              - hosts: [bodyhide.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth, config: {key_in_body: true, hide_credentials: true}}]
              - hosts: [bodyanon.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth, config: {key_in_body: true, anonymous: anon}}]
        """

    static func headers(_ response: TestResponse) throws -> [String: String] {
        try (response.json()["headers"] as? [String: String]) ?? [:]
    }

    @Test func authenticatesAndRefusesAsKong() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let missing = try await gateway.request(.GET, "/echo", headers: [("Host", "key.test")])
            #expect(missing.status == 401)
            #expect(try missing.json()["message"] as? String == "No API key found in request")
            #expect(missing.headers.first(name: "WWW-Authenticate") == "Key")

            let wrong = try await gateway.request(.GET, "/echo", headers: [("Host", "key.test"), ("apikey", "k-124")])
            #expect(wrong.status == 401)
            #expect(try wrong.json()["message"] as? String == "Unauthorized")
            #expect(wrong.headers.first(name: "WWW-Authenticate") == "Key")

            let empty = try await gateway.request(.GET, "/echo?apikey=", headers: [("Host", "key.test")])
            #expect(try empty.json()["message"] as? String == "No API key found in request")

            let duplicate = try await gateway.request(.GET, "/echo?apikey=a&apikey=b", headers: [("Host", "key.test")])
            #expect(try duplicate.json()["message"] as? String == "Duplicate API key found")
            let duplicateHeader = try await gateway.request(
                .GET,
                "/echo",
                headers: [("Host", "key.test"), ("apikey", "k-123"), ("apikey", "k-123")]
            )
            #expect(try duplicateHeader.json()["message"] as? String == "Duplicate API key found")

            let header = try await gateway.request(.GET, "/echo", headers: [("Host", "key.test"), ("ApiKey", "k-123")])
            #expect(header.status == 200)
            let upstream = try Self.headers(header)
            #expect(upstream["x-consumer-username"] == "legacy-client")
            #expect(upstream["x-consumer-custom-id"] == "7")
            #expect(upstream["x-credential-identifier"] == "11111111-2222-4333-8444-555555555555")
            #expect(upstream["apikey"] == "k-123")

            let query = try await gateway.request(.GET, "/echo?apikey=second-key&x=1", headers: [("Host", "key.test")])
            #expect(query.status == 200)
            let queryUpstream = try Self.headers(query)
            #expect(queryUpstream["x-credential-identifier"]?.count == 36)
            #expect(queryUpstream["x-credential-identifier"] != "second-key")
            #expect(try query.json()["uri"] as? String == "/echo?apikey=second-key&x=1")

            let encoded = try await gateway.request(.GET, "/echo?apikey=k%2D123", headers: [("Host", "key.test")])
            #expect(encoded.status == 200)

            // A key whose ttl ran out.
            try await Task.sleep(for: .milliseconds(1100))
            let old = try await gateway.request(.GET, "/echo", headers: [("Host", "key.test"), ("apikey", "old-key")])
            #expect(old.status == 401)
        }
    }

    @Test func hidesCredentialsAndHonoursOptions() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let hidden = try await gateway.request(.GET, "/echo?a=1&apikey=k-123&b=2", headers: [("Host", "hide.test")])
            #expect(hidden.status == 200)
            #expect(try hidden.json()["uri"] as? String == "/echo?a=1&b=2")
            let hiddenHeader = try await gateway.request(.GET, "/echo", headers: [("Host", "hide.test"), ("X-API-Key", "k-123")])
            #expect(hiddenHeader.status == 200)
            #expect(try Self.headers(hiddenHeader)["x-api-key"] == nil)

            let anonymous = try await gateway.request(.GET, "/echo", headers: [("Host", "anon.test"), ("apikey", "nope")])
            #expect(anonymous.status == 200)
            let anonymousHeaders = try Self.headers(anonymous)
            #expect(anonymousHeaders["x-consumer-username"] == "anon")
            #expect(anonymousHeaders["x-anonymous-consumer"] == "true")

            let realm = try await gateway.request(.GET, "/echo?apikey=k-123", headers: [("Host", "realm.test")])
            #expect(realm.status == 401)
            #expect(realm.headers.first(name: "WWW-Authenticate") == "Key realm=\"legacy\"")
            #expect(try realm.json()["message"] as? String == "No API key found in request")

            #expect(try await gateway.request(.OPTIONS, "/echo", headers: [("Host", "preflight.test")]).status == 200)
            #expect(try await gateway.request(.OPTIONS, "/echo", headers: [("Host", "key.test")]).status == 401)
        }
    }
}
