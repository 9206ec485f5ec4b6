import Foundation
import Gateway
import GatewayTestSupport
import Logging
import NIOHTTP1
import Testing

@testable import Plugins

/// Kong's `file-log`: one JSON line per request, as Kong's serializer writes it.
struct FileLogPluginTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pasarela-file-log-\(UUID().uuidString).log").path
    }

    static func gateway(path: String, reopen: Bool = false) -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
        consumers:
          - username: alice
            keyauth_credentials: [{key: alice-key}]
        services:
          - name: echo
            url: http://{{UPSTREAM}}
            routes:
              - name: keyed
                paths: [/keyed]
                plugins: [{name: key-auth}]
        plugins:
          - name: file-log
            config: {path: "\(path)", reopen: \(reopen)}
        """
    }

    /// The file's lines, parsed, once there are `count` of them.
    static func entries(_ path: String, count: Int) async throws -> [[String: Any]] {
        var lines: [Substring] = []
        _ = await eventually(timeout: .seconds(10)) {
            lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
            return lines.count >= count
        }
        return try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func writesKongsSerializedEntryPerRequest() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withGateway(Self.gateway(path: path), registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            let headers = [("apikey", "alice-key"), ("Authorization", "Bearer secret")]
            #expect(try await gateway.request(.GET, "/keyed/echo?a=1&a=2&flag", headers: headers).status == 200)
            #expect(try await gateway.request(.GET, "/keyed/echo").status == 401)
        }
        let entries = try await Self.entries(path, count: 2)
        #expect(entries.count == 2)
        let first = entries[0]
        let request = try #require(first["request"] as? [String: Any])
        #expect(request["method"] as? String == "GET")
        #expect(request["uri"] as? String == "/keyed/echo?a=1&a=2&flag")
        let query = try #require(request["querystring"] as? [String: Any])
        #expect(query["a"] as? [String] == ["1", "2"])
        #expect(query["flag"] as? Bool == true)
        let requestHeaders = try #require(request["headers"] as? [String: Any])
        #expect(requestHeaders["authorization"] as? String == "REDACTED")
        #expect(requestHeaders["apikey"] as? String == "alice-key")
        #expect((request["size"] as? Int ?? 0) > 0)
        #expect(first["upstream_uri"] as? String == "/echo?a=1&a=2&flag")
        #expect(first["client_ip"] as? String == "127.0.0.1")
        let response = try #require(first["response"] as? [String: Any])
        #expect(response["status"] as? Int == 200)
        #expect((response["size"] as? Int ?? 0) > 0)
        #expect((response["headers"] as? [String: Any])?["content-type"] as? String == "application/json")
        #expect((first["route"] as? [String: Any])?["name"] as? String == "keyed")
        #expect((first["service"] as? [String: Any])?["name"] as? String == "echo")
        #expect((first["consumer"] as? [String: Any])?["username"] as? String == "alice")
        let latencies = try #require(first["latencies"] as? [String: Any])
        #expect((latencies["request"] as? Int ?? -1) >= 0)
        #expect((latencies["proxy"] as? Int ?? -1) >= 0)
        #expect(((first["tries"] as? [[String: Any]])?.count) == 1)
        let startedAt = try #require(first["started_at"] as? Double)
        #expect(abs(startedAt / 1000 - Date().timeIntervalSince1970) < 60)
        #expect(first["source"] as? String == "service")
        // The refused request: answered by the plugin, never proxied.
        let second = entries[1]
        #expect((second["response"] as? [String: Any])?["status"] as? Int == 401)
        #expect(second["consumer"] == nil)
        #expect((second["latencies"] as? [String: Any])?["proxy"] as? Int == -1)
        #expect(second["source"] as? String == "exit")
    }

    @Test func reopenFollowsARotatedFile() async throws {
        let path = Self.temporaryPath()
        let rotated = path + ".1"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: rotated)
        }
        try await withGateway(Self.gateway(path: path, reopen: true), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/keyed/echo").status == 401)
            _ = try await Self.entries(path, count: 1)
            try FileManager.default.moveItem(atPath: path, toPath: rotated)
            #expect(try await gateway.request(.GET, "/keyed/echo").status == 401)
            #expect(try await Self.entries(path, count: 1).count == 1)
        }
        #expect(try await Self.entries(rotated, count: 1).count == 1)
    }

    @Test func anUnwritableFileNeverFailsTheRequest() async throws {
        try await withGateway(Self.gateway(path: "/nonexistent-dir/x.log"), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await gateway.request(.GET, "/keyed/echo", headers: [("apikey", "alice-key")]).status == 200)
        }
    }

    @Test func configErrorsCarryTheirPath() {
        let lines = GatewayLoader.load(
            contents: """
                _format_version: "3.0"
                routes:
                  - {name: a, paths: [/a], plugins: [{name: file-log, config: {reopen: true}}]}
                  - {name: b, paths: [/b], plugins: [{name: file-log, config: {path: "/tmp/a*b.log"}}]}
                  - name: c
                    paths: [/c]
                    plugins: [{name: file-log, config: {path: /tmp/ok.log, custom_fields_by_lua: {x: "return 1"}}}]
                  - name: d
                    paths: [/d]
                    plugins: [{name: file-log, config: {path: /tmp/ok.log, custom_fields_by_lua: {}}}]
                """,
            file: "g.yaml",
            environment: [:],
            registry: BuiltinPlugins.registry,
            logger: Logger(label: "t")
        ).diagnostics.sorted.map(\.description)
        #expect(lines.filter { !$0.contains("warning") }.count == 3, "\(lines)")
        #expect(lines.contains { $0.contains("routes[0].plugins[0].config.path: required field missing") })
        #expect(lines.contains { $0.contains("routes[1].plugins[0].config.path: not a valid filename") })
        #expect(lines.contains { $0.contains("routes[2].plugins[0].config.custom_fields_by_lua") && $0.contains("no Lua") })
    }
}
