import Gateway
import GatewayTestSupport
import Testing

@testable import Plugins

/// Authentication plugins together, as Kong's "multiple auth" specs: `anonymous` makes them a
/// logical OR, its absence a logical AND; later plugins (acl) see the consumer a jwt token set.
@Suite(.serialized) struct AuthCombinationTests {
    @Test func prioritiesAreKongs() {
        let order = BuiltinPlugins.registry.descriptorsByPriority.map(\.name).filter { ["jwt", "key-auth", "acl"].contains($0) }
        #expect(order == ["jwt", "key-auth", "acl"])
        #expect(JWTPlugin.priority == 1450 && KeyAuthPlugin.priority == 1250 && ACLPlugin.priority == 950)
    }

    static let yaml = """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
        consumers:
          - username: user1
            keyauth_credentials: [{key: Mouse}]
          - username: user2
            jwt_secrets: [{key: user2-iss, secret: "\(TestKeys.hmacSecret)"}]
            acls: [{group: payers}]
          - username: anonymous
        services:
          - url: http://{{UPSTREAM}}
            routes:
              - hosts: [logical-or.test]
                paths: [/]
                strip_path: false
                plugins:
                  - {name: key-auth, config: {anonymous: anonymous}}
                  - {name: jwt, config: {anonymous: anonymous}}
              - hosts: [logical-and.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth}, {name: jwt}]
              - hosts: [jwt-acl.test]
                paths: [/]
                strip_path: false
                plugins: [{name: jwt}, {name: acl, config: {allow: [payers]}}]
        """

    static func call(_ gateway: GatewayHarness, _ host: String, key: Bool, token: Bool) async throws -> (Int, [String: String]) {
        var headers = [("Host", host)]
        if key { headers.append(("apikey", "Mouse")) }
        if token {
            headers.append(
                ("Authorization", "Bearer " + TestKeys.raw(header: #"{"alg":"HS256"}"#, payload: #"{"iss":"user2-iss"}"#))
            )
        }
        let response = try await gateway.request(.GET, "/echo", headers: headers)
        let upstream = response.status == 200 ? (try response.json()["headers"] as? [String: String]) ?? [:] : [:]
        return (response.status, upstream)
    }

    @Test func logicalOrAndAnd() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let both = try await Self.call(gateway, "logical-or.test", key: true, token: true)
            #expect(both.0 == 200 && both.1["x-anonymous-consumer"] == nil)
            #expect(["user1", "user2"].contains(both.1["x-consumer-username"] ?? ""))
            let keyOnly = try await Self.call(gateway, "logical-or.test", key: true, token: false)
            #expect(keyOnly.0 == 200 && keyOnly.1["x-consumer-username"] == "user1" && keyOnly.1["x-anonymous-consumer"] == nil)
            let tokenOnly = try await Self.call(gateway, "logical-or.test", key: false, token: true)
            #expect(tokenOnly.0 == 200 && tokenOnly.1["x-consumer-username"] == "user2")
            #expect(tokenOnly.1["x-credential-identifier"] == "user2-iss")
            let neither = try await Self.call(gateway, "logical-or.test", key: false, token: false)
            #expect(
                neither.0 == 200 && neither.1["x-consumer-username"] == "anonymous" && neither.1["x-anonymous-consumer"] == "true"
            )

            #expect(try await Self.call(gateway, "logical-and.test", key: true, token: true).0 == 200)
            #expect(try await Self.call(gateway, "logical-and.test", key: true, token: false).0 == 401)
            #expect(try await Self.call(gateway, "logical-and.test", key: false, token: true).0 == 401)
            #expect(try await Self.call(gateway, "logical-and.test", key: false, token: false).0 == 401)
        }
    }

    @Test func aclSeesTheJWTConsumer() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let allowed = try await Self.call(gateway, "jwt-acl.test", key: false, token: true)
            #expect(allowed.0 == 200 && allowed.1["x-consumer-groups"] == "payers")
            #expect(try await Self.call(gateway, "jwt-acl.test", key: false, token: false).0 == 401)
        }
    }
}
