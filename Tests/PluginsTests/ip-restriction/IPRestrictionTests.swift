import Gateway
import GatewayTestSupport
import Testing

@testable import Plugins

/// Kong's ip-restriction: config checks, the allow/deny decision, then through a real gateway (the
/// client address, and X-Forwarded-For only from trusted proxies).
@Suite struct IPRestrictionTests {
    static func plugin(allow: [String] = [], deny: [String] = []) throws -> IPRestrictionPlugin {
        var config = IPRestrictionConfig()
        config.allow = allow.compactMap(IPOrCIDR.init)
        config.deny = deny.compactMap(IPOrCIDR.init)
        return try IPRestrictionPlugin(configuration: config, context: .forTests)
    }

    @Test(
        arguments: [
            ([], ["127.0.0.1"], "127.0.0.1", IPRestrictionPlugin.Decision.refused),
            ([], ["127.0.0.2"], "127.0.0.1", .allowed),
            (["127.0.0.2"], [], "127.0.0.1", .refused),
            (["127.0.0.0/24"], [], "127.0.0.9", .allowed),
            (["0.0.0.0/0"], [], "203.0.113.7", .allowed),
            (["127.0.0.1"], ["127.0.0.1"], "127.0.0.1", .refused),
            (["127.0.0.0/24"], ["127.0.0.1"], "127.0.0.1", .refused),
            (["127.0.0.0/24"], ["127.0.0.1"], "127.0.0.2", .allowed),
            (["2001:db8::/32"], [], "2001:db8::5", .allowed),
            (["2001:db8::/32"], [], "2001:db9::5", .refused),
            ([], ["::1"], "::1", .refused),
            (["::/0"], [], "fe80::1", .allowed),
            (["10.0.0.0/8"], [], "::ffff:10.1.2.3", .allowed),
            (["127.0.0.1/8"], [], "127.200.0.1", .allowed),
            (["10.0.0.0/8"], [], "not-an-ip", .unidentified),
        ] as [([String], [String], String, IPRestrictionPlugin.Decision)]
    )
    func decides(allow: [String], deny: [String], address: String, expected: IPRestrictionPlugin.Decision) throws {
        #expect(try Self.plugin(allow: allow, deny: deny).decision(for: address) == expected)
    }

    @Test func rejectsBadConfig() {
        let bad = PluginFixture.diagnostics(
            PluginFixture.globalPlugin(
                "ip-restriction",
                config: "allow: [127.0.0.1/32, 0.0.0.0/33, hello, \"::/129\"]\nstatus: 999"
            )
        )
        #expect(bad.contains { $0.hasSuffix("plugins[0].config.allow[1]: invalid ip or cidr range: '0.0.0.0/33'") })
        #expect(bad.contains { $0.hasSuffix("plugins[0].config.allow[2]: invalid ip or cidr range: 'hello'") })
        #expect(bad.contains { $0.hasSuffix("plugins[0].config.allow[3]: invalid ip or cidr range: '::/129'") })
        #expect(bad.contains { $0.hasSuffix("plugins[0].config.status: value should be between 100 and 599") })
        let empty = PluginFixture.diagnostics(PluginFixture.globalPlugin("ip-restriction", config: "allow: []\ndeny: []"))
        #expect(empty.contains { $0.hasSuffix("at least one of these fields must be non-empty: 'config.allow', 'config.deny'") })
        let good = PluginFixture.diagnostics(
            PluginFixture.globalPlugin("ip-restriction", config: "allow: [\"::/0\", \"::1/128\", 10.0.0.0/8]\ndeny: [127.0.0.1]")
        )
        #expect(good.isEmpty)
    }

    static func yaml(trusted: [String]) -> String {
        PluginFixture.yaml(
            [
                .init(host: "deny.test", plugins: ["name: ip-restriction\nconfig: {deny: [127.0.0.1, 127.0.0.2]}"]),
                .init(host: "allow-other.test", plugins: ["name: ip-restriction\nconfig: {allow: [127.0.0.2]}"]),
                .init(host: "allow-range.test", plugins: ["name: ip-restriction\nconfig: {allow: [127.0.0.0/24]}"]),
                .init(
                    host: "custom.test",
                    plugins: ["name: ip-restriction\nconfig: {deny: [127.0.0.0/24], status: 401, message: Forbidden}"]
                ),
                .init(host: "v6.test", plugins: ["name: ip-restriction\nconfig: {allow: [\"2001:db8::/32\"]}"]),
            ],
            settings: ["trusted_ips: [\(trusted.joined(separator: ", "))]"]
        )
    }

    @Test func restrictsByTheClientAddress() async throws {
        try await withGateway(Self.yaml(trusted: []), registry: BuiltinPlugins.registry) { gateway, _ in
            let denied = try await gateway.request(.GET, "/echo", headers: [("Host", "deny.test")])
            #expect(denied.status == 403)
            #expect(try denied.json()["message"] as? String == "IP address not allowed: 127.0.0.1")
            #expect(try denied.json()["request_id"] as? String == denied.headers.first(name: "X-Request-Id"))

            let notAllowed = try await gateway.request(.GET, "/echo", headers: [("Host", "allow-other.test")])
            #expect(notAllowed.status == 403)

            let allowed = try await gateway.request(.GET, "/echo", headers: [("Host", "allow-range.test")])
            #expect(allowed.status == 200)

            let custom = try await gateway.request(.GET, "/echo", headers: [("Host", "custom.test")])
            #expect(custom.status == 401)
            #expect(try custom.json()["message"] as? String == "Forbidden")
        }
    }

    @Test func forwardedAddressesCountOnlyFromTrustedProxies() async throws {
        // The test client is 127.0.0.1: untrusted here, so its X-Forwarded-For is ignored.
        try await withGateway(Self.yaml(trusted: ["10.0.0.0/8"]), registry: BuiltinPlugins.registry) { gateway, _ in
            let spoofed = try await gateway.request(
                .GET,
                "/echo",
                headers: [("Host", "deny.test"), ("X-Forwarded-For", "10.9.9.9")]
            )
            #expect(spoofed.status == 403)
            let v6 = try await gateway.request(.GET, "/echo", headers: [("Host", "v6.test"), ("X-Forwarded-For", "2001:db8::5")])
            #expect(v6.status == 403)
            #expect(try v6.json()["message"] as? String == "IP address not allowed: 127.0.0.1")
        }
        try await withGateway(Self.yaml(trusted: ["127.0.0.1"]), registry: BuiltinPlugins.registry) { gateway, _ in
            let forwarded = try await gateway.request(
                .GET,
                "/echo",
                headers: [("Host", "deny.test"), ("X-Forwarded-For", "10.9.9.9")]
            )
            #expect(forwarded.status == 200)
            let last = try await gateway.request(
                .GET,
                "/echo",
                headers: [("Host", "deny.test"), ("X-Forwarded-For", "10.9.9.9, 127.0.0.2")]
            )
            #expect(last.status == 403)
            #expect(try last.json()["message"] as? String == "IP address not allowed: 127.0.0.2")
            let v6 = try await gateway.request(.GET, "/echo", headers: [("Host", "v6.test"), ("X-Forwarded-For", "2001:db8::5")])
            #expect(v6.status == 200)
            let v6Other = try await gateway.request(.GET, "/echo", headers: [("Host", "v6.test"), ("X-Real-IP", "2001:db9::5")])
            #expect(v6Other.status == 403)
        }
    }
}
