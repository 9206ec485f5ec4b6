import Gateway
import GatewayTestSupport
import Logging
import Testing

@testable import Plugins

/// Kong's acl: the decision table, config checks, then with key-auth through a real gateway.
@Suite(.serialized) struct ACLTests {
    static func plugin(allow: [String]? = nil, deny: [String]? = nil) -> ACLPlugin {
        var config = ACLConfig()
        config.allow = allow
        config.deny = deny
        let context = PluginBuildContext(
            config: GatewayConfig(
                document: ConfigDocument(file: "t", root: ConfigNode(.null, mark: ConfigMark(line: 1, column: 1)))
            ),
            consumers: [],
            logger: Logger(label: "t")
        )
        return ACLPlugin(configuration: config, context: context)
    }

    static let payer = Consumer(id: "1", username: "p", customID: nil, groups: ["payers", "staff"])
    static let nobody = Consumer(id: "2", username: "n", customID: nil, groups: [])

    @Test func decisions() {
        let allow = Self.plugin(allow: ["payers"])
        #expect(allow.decide(consumer: nil, hasCredential: false) == .unauthorized)
        #expect(allow.decide(consumer: Self.payer, hasCredential: true) == .pass(groupsHeader: "payers, staff"))
        #expect(allow.decide(consumer: Self.nobody, hasCredential: true) == .forbidden)
        #expect(allow.decide(consumer: Self.nobody, hasCredential: false) == .unauthorized)
        let deny = Self.plugin(deny: ["staff"])
        #expect(deny.decide(consumer: Self.payer, hasCredential: true) == .forbidden)
        #expect(deny.decide(consumer: Self.nobody, hasCredential: true) == .pass(groupsHeader: ""))
        #expect(deny.decide(consumer: nil, hasCredential: false) == .unauthorized)
    }

    @Test func needsExactlyOneList() {
        func lines(_ config: String) -> [String] {
            GatewayLoader.load(
                contents: "_format_version: \"3.0\"\nplugins:\n  - name: acl\n    config: \(config)\n",
                file: "g.yaml",
                environment: [:],
                registry: BuiltinPlugins.registry,
                logger: Logger(label: "t")
            ).diagnostics.sorted.map(\.description)
        }
        #expect(lines("{}").contains { $0.contains("at least one of these fields must be non-empty") })
        #expect(lines("{allow: [a], deny: [b]}").contains { $0.contains("only one of these fields must be populated") })
        #expect(lines("{allow: [a]}").isEmpty)
    }

    static let yaml = """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
        consumers:
          - username: payer
            keyauth_credentials: [{key: payer-key}]
            acls: [{group: payers}, {group: staff}]
          - username: visitor
            keyauth_credentials: [{key: visitor-key}]
          - username: anon
        services:
          - url: http://{{UPSTREAM}}
            routes:
              - hosts: [allow.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth}, {name: acl, config: {allow: [payers]}}]
              - hosts: [deny.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth}, {name: acl, config: {deny: [staff], hide_groups_header: true}}]
              - hosts: [anon.test]
                paths: [/]
                strip_path: false
                plugins: [{name: key-auth, config: {anonymous: anon}}, {name: acl, config: {allow: [payers]}}]
              - hosts: [alone.test]
                paths: [/]
                strip_path: false
                plugins: [{name: acl, config: {allow: [payers]}}]
        """

    @Test func throughTheGateway() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            func get(_ host: String, key: String?) async throws -> TestResponse {
                var headers = [("Host", host), ("X-Consumer-Groups", "forged")]
                if let key { headers.append(("apikey", key)) }
                return try await gateway.request(.GET, "/echo", headers: headers)
            }
            let allowed = try await get("allow.test", key: "payer-key")
            #expect(allowed.status == 200)
            #expect(try (allowed.json()["headers"] as? [String: String])?["x-consumer-groups"] == "payers, staff")

            let refused = try await get("allow.test", key: "visitor-key")
            #expect(refused.status == 403)
            #expect(try refused.json()["message"] as? String == "You cannot consume this service")

            let denied = try await get("deny.test", key: "payer-key")
            #expect(denied.status == 403)
            let visitor = try await get("deny.test", key: "visitor-key")
            #expect(visitor.status == 200)
            #expect(try (visitor.json()["headers"] as? [String: String])?["x-consumer-groups"] == nil)

            let anonymous = try await get("anon.test", key: nil)
            #expect(anonymous.status == 401)
            #expect(try anonymous.json()["message"] as? String == "Unauthorized")

            let alone = try await get("alone.test", key: nil)
            #expect(alone.status == 401)
            #expect(try alone.json()["message"] as? String == "Unauthorized")
        }
    }
}
