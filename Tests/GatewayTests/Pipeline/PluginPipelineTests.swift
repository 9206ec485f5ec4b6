import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// Plugins through a real gateway: priority order, phases, waiting on I/O, Kong's scoping and
/// config validation with line and column.
@Suite struct PluginPipelineTests {
    static let config = """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: 127.0.0.1:0
        consumers:
          - username: alice
            plugins:
              - name: trail
                config: {value: alice-only}
          - username: bob
        services:
          - name: echo
            url: http://{{UPSTREAM}}
            plugins:
              - name: trail
                config: {value: service}
            routes:
              - name: plain
                paths: [/plain]
              - name: scoped
                paths: [/scoped]
                plugins:
                  - name: trail
                    config: {value: route}
              - name: slow
                paths: [/slow-gate]
                plugins:
                  - name: gate
                    config: {value: slow, delay_ms: 30}
        plugins:
          - name: gate
            config: {value: global}
          - name: trail
            config: {value: global}
        """

    @Test func mostSpecificInstanceWinsAndPrioritiesOrderThePhases() async throws {
        try await withGateway(Self.config, registry: TestPlugins.registry) { gateway, _ in
            // The service's trail beats the global one; gate (1000) runs before trail (900).
            let plain = try await gateway.request(.GET, "/plain/echo")
            #expect(plain.status == 200)
            let headers = try #require(try plain.json()["headers"] as? [String: String])
            #expect(headers["x-trail"] == "service")
            #expect(plain.headers.first(name: "x-trail-response") == "service")

            // A route instance beats the service's.
            let scoped = try await gateway.request(.GET, "/scoped/echo")
            #expect(try (scoped.json()["headers"] as? [String: String])?["x-trail"] == "route")

            // A consumer instance beats service-only and route-only ones (Kong: consumer > route > service).
            let alice = try await gateway.request(.GET, "/plain/echo", headers: [("X-Consumer", "alice")])
            let aliceHeaders = try #require(try alice.json()["headers"] as? [String: String])
            #expect(aliceHeaders["x-trail"] == "alice-only")
            #expect(aliceHeaders["x-consumer-username"] == "alice")
            #expect(aliceHeaders["x-credential-identifier"] == "test-alice")
            #expect(aliceHeaders["x-consumer-id"]?.count == 36)
            let aliceOnRoute = try await gateway.request(.GET, "/scoped/echo", headers: [("X-Consumer", "alice")])
            #expect(try (aliceOnRoute.json()["headers"] as? [String: String])?["x-trail"] == "alice-only")
            let bob = try await gateway.request(.GET, "/plain/echo", headers: [("X-Consumer", "bob")])
            #expect(try (bob.json()["headers"] as? [String: String])?["x-trail"] == "service")
        }
    }

    @Test func aPluginMayAnswerAndResponsePhaseStillRuns() async throws {
        try await withGateway(Self.config, registry: TestPlugins.registry) { gateway, upstream in
            let denied = try await gateway.request(.GET, "/plain/echo", headers: [("X-Deny", "1")])
            #expect(denied.status == 403)
            #expect(try denied.json()["message"] as? String == "denied by global")
            #expect(denied.headers.first(name: "x-trail-response") == "service")
            #expect(upstream.accepts == 0)
        }
    }

    @Test func aPluginCanWaitForIOWithoutBlocking() async throws {
        try await withGateway(Self.config, registry: TestPlugins.registry) { gateway, _ in
            let passed = try await gateway.request(.POST, "/slow-gate/echo", body: ByteBuffer(string: "payload"))
            #expect(passed.status == 200)
            #expect(try passed.json()["body_bytes"] as? Int == 7)
            let denied = try await gateway.request(
                .POST,
                "/slow-gate/echo",
                headers: [("X-Deny", "1")],
                body: ByteBuffer(string: "x")
            )
            #expect(denied.status == 403)
            #expect(try denied.json()["message"] as? String == "denied by slow")
            // Many at once: the waits overlap instead of queueing on the loop.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await gateway.request(.GET, "/slow-gate/echo").status } }
                for try await status in group { #expect(status == 200) }
            }
        }
    }

    @Test func pluginConfigErrorsCarryLineAndColumn() async throws {
        let yaml = """
            _format_version: "3.0"
            services:
              - name: s
                url: http://127.0.0.1:9
                routes:
                  - paths: [/]
                    plugins:
                      - name: trail
                        config:
                          value: forbidden
                          valu: typo
                      - name: trial
            """
        let loaded = GatewayLoader.load(
            contents: yaml,
            file: "gateway.yaml",
            environment: [:],
            registry: TestPlugins.registry,
            logger: .init(label: "test")
        )
        let lines = loaded.diagnostics.sorted.map(\.description)
        #expect(lines.contains("gateway.yaml:10:22: services[0].routes[0].plugins[0].config.value: must not be \"forbidden\""))
        #expect(
            lines.contains {
                $0.hasPrefix("gateway.yaml:11:15: services[0].routes[0].plugins[0].config.valu: unknown field \"valu\"")
            }
        )
        #expect(
            lines.contains { $0.hasPrefix("gateway.yaml:12:19: services[0].routes[0].plugins[1].name:") && $0.contains("trail") }
        )
        if case .success = loaded.result { Issue.record("an invalid file compiled") }
    }
}

/// Kong's precedence, without sockets.
@Suite struct PluginScopingTests {
    struct Named: Plugin {
        static let name = "named"
        static let priority = 10
        let label: String
    }

    func label(_ chain: PluginChain, consumer: Consumer?) -> String? {
        (chain.entries.first?.instance(for: consumer) as? Named)?.label
    }

    @Test func precedenceFollowsKong() {
        let alice = Consumer(id: "a", username: "alice", customID: nil)
        let bob = Consumer(id: "b", username: "bob", customID: nil)
        let plugins = [
            ScopedPlugin(plugin: Named(label: "global"), scope: PluginScope()),
            ScopedPlugin(plugin: Named(label: "service"), scope: PluginScope(service: 0)),
            ScopedPlugin(plugin: Named(label: "consumer"), scope: PluginScope(consumer: 0)),
            ScopedPlugin(plugin: Named(label: "route+consumer"), scope: PluginScope(route: 1, consumer: 1)),
            ScopedPlugin(plugin: Named(label: "route+service"), scope: PluginScope(service: 0, route: 2)),
        ]
        let ids = [alice.id, bob.id]
        let route0 = PluginChain(resolving: plugins, route: 0, service: 0, consumerIDs: ids)
        #expect(label(route0, consumer: nil) == "service")
        #expect(label(route0, consumer: alice) == "consumer")
        #expect(label(route0, consumer: bob) == "service")
        let route1 = PluginChain(resolving: plugins, route: 1, service: 0, consumerIDs: ids)
        #expect(label(route1, consumer: bob) == "route+consumer")
        #expect(label(route1, consumer: alice) == "consumer")
        let route2 = PluginChain(resolving: plugins, route: 2, service: 0, consumerIDs: ids)
        #expect(label(route2, consumer: alice) == "route+service")
        let otherService = PluginChain(resolving: plugins, route: 5, service: 3, consumerIDs: ids)
        #expect(label(otherService, consumer: nil) == "global")
    }

    @Test func chainRunsByPriority() {
        struct High: Plugin {
            static let name = "high"
            static let priority = 2000
        }
        struct Low: Plugin {
            static let name = "low"
            static let priority = 5
        }
        let chain = PluginChain(
            resolving: [ScopedPlugin(plugin: Low(), scope: PluginScope()), ScopedPlugin(plugin: High(), scope: PluginScope())],
            route: 0,
            service: 0,
            consumerIDs: []
        )
        #expect(chain.entries.map(\.name) == ["high", "low"])
    }
}
