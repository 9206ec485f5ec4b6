import Foundation
import GatewayTestSupport
import NIOHTTP1
import Testing

@testable import Gateway

/// DESIGN §4.5: a valid file replaces the running configuration atomically; an invalid one changes nothing.
@Suite struct ReloadTests {
    static func config(path: String) -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: 127.0.0.1:0
        services:
          - name: echo
            url: http://{{UPSTREAM}}
            routes:
              - paths: [\(path)]
        """
    }

    func rewrite(_ gateway: GatewayHarness, _ upstream: TestUpstream, _ text: String) throws {
        let resolved = text.replacingOccurrences(of: "{{UPSTREAM}}", with: "127.0.0.1:\(upstream.port)")
        try resolved.write(toFile: gateway.configPath, atomically: true, encoding: .utf8)
    }

    @Test func adminReloadSwapsAndKeepsRequestsInFlight() async throws {
        try await withGateway(Self.config(path: "/old")) { gateway, upstream in
            #expect(try await gateway.request(.GET, "/old/echo").status == 200)
            // A slow request starts on the old configuration (it has reached the upstream)...
            async let slow = gateway.request(.GET, "/old/slow/1500")
            #expect(await eventually { upstream.requests == 2 })
            try rewrite(gateway, upstream, Self.config(path: "/new"))
            let reload = try await gateway.admin(.POST, "/config/reload")
            #expect(reload.status == 200)
            // The file watcher may have reloaded the changed file first: either way a new generation runs.
            #expect((try reload.json()["generation"] as? Int ?? 0) >= 2)
            // ...and finishes on it, while new requests see the new one.
            #expect(try await slow.status == 200)
            #expect(try await gateway.request(.GET, "/new/echo").status == 200)
            #expect(try await gateway.request(.GET, "/old/echo").status == 404)
        }
    }

    @Test func invalidFileChangesNothing() async throws {
        try await withGateway(Self.config(path: "/old")) { gateway, upstream in
            try rewrite(gateway, upstream, Self.config(path: "nope") + "\nbogus: 1\n")
            let reload = try await gateway.admin(.POST, "/config/reload")
            #expect(reload.status == 400)
            let errors = try #require(try reload.json()["errors"] as? [String])
            #expect(errors.contains { $0.contains("services[0].routes[0].paths[0]: must start with \"/\" or \"~\"") })
            #expect(errors.contains { $0.contains("unknown field \"bogus\"") })
            #expect(try await gateway.request(.GET, "/old/echo").status == 200)
            #expect(gateway.process.configuration.routes.count == 1)
        }
    }

    @Test func aChangedFileIsPickedUp() async throws {
        try await withGateway(Self.config(path: "/old")) { gateway, upstream in
            try rewrite(gateway, upstream, Self.config(path: "/watched"))
            let picked = try await eventually(timeout: .seconds(10)) {
                try await gateway.request(.GET, "/watched/echo").status == 200
            }
            #expect(picked)
        }
    }

    @Test func adminAPIShowsStateWithoutSecrets() async throws {
        let yaml = Self.config(path: "/a") + """

            consumers:
              - username: alice
                keyauth_credentials: [{key: super-secret-key}]
            """
        try await withGateway(yaml) { gateway, _ in
            let status = try await gateway.admin(.GET, "/status")
            #expect(status.status == 200)
            let routes = try await gateway.admin(.GET, "/routes")
            #expect(routes.text.contains("/a"))
            let consumers = try await gateway.admin(.GET, "/consumers")
            #expect(consumers.text.contains("alice"))
            #expect(!consumers.text.contains("super-secret-key"))
            #expect(try await gateway.admin(.GET, "/nothing").status == 404)
        }
    }
}

/// The admin API's token check, without sockets.
@Suite struct AdminAuthTests {
    @Test func tokenOrLoopback() async throws {
        let loaded = GatewayLoader.load(
            contents: "_format_version: \"3.0\"\n", file: "g.yaml", environment: [:], registry: PluginRegistry([]),
            logger: .init(label: "t")
        )
        let store = ConfigStore(try loaded.result.get())
        let open = AdminAPI(store: store, token: "", connections: { 0 }, reload: { .invalid(errors: []) })
        #expect(await open.handle(.init(method: "GET", uri: "/status", headers: [], body: "", peerIP: "127.0.0.1")).status == 200)
        #expect(await open.handle(.init(method: "GET", uri: "/status", headers: [], body: "", peerIP: "10.0.0.5")).status == 401)
        let guarded = AdminAPI(store: store, token: "t0k3n", connections: { 0 }, reload: { .invalid(errors: []) })
        #expect(await guarded.handle(.init(method: "GET", uri: "/", headers: [], body: "", peerIP: "127.0.0.1")).status == 401)
        let bearer = [("Authorization", "Bearer t0k3n")]
        #expect(await guarded.handle(.init(method: "GET", uri: "/", headers: bearer, body: "", peerIP: "10.0.0.5")).status == 200)
        let kong = [("Kong-Admin-Token", "t0k3n")]
        #expect(await guarded.handle(.init(method: "GET", uri: "/", headers: kong, body: "", peerIP: "10.0.0.5")).status == 200)
        let wrong = [("Authorization", "Bearer t0k3")]
        #expect(await guarded.handle(.init(method: "GET", uri: "/", headers: wrong, body: "", peerIP: "10.0.0.5")).status == 401)
    }
}
