import Foundation
import GatewayTestSupport
import NIOCore
import NIOPosix
import Testing

/// `pasarela validate`, `routes` and `run` as a user runs them (DESIGN §3).
@Suite struct PasarelaCLITests {
    func writeConfig(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pasarela-cli-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func validateReportsEveryErrorWithLocation() async throws {
        let path = try writeConfig(
            """
            _format_version: "3.0"
            services:
              - name: users
                url: http://127.0.0.1:5004
                retries: many
                routes:
                  - paths: [users]
                    strp_path: true
            plugins:
              - name: corelation-id
            """
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, output) = try await ExecutableProcess.run("pasarela", ["validate", "--config", path])
        #expect(status == 1)
        #expect(output.contains("\(path):5:14: services[0].retries: expected an integer"))
        #expect(output.contains("\(path):7:17: services[0].routes[0].paths[0]: must start with \"/\" or \"~\""))
        #expect(
            output.contains(
                "\(path):8:9: services[0].routes[0].strp_path: unknown field \"strp_path\"; did you mean \"strip_path\"?"
            )
        )
        #expect(
            output.contains("\(path):10:11: plugins[0].name: unknown plugin \"corelation-id\"; did you mean \"correlation-id\"?")
        )
    }

    @Test func validateAndRoutesOnAGoodFile() async throws {
        let path = try writeConfig(
            """
            _format_version: "3.0"
            services:
              - name: users
                url: http://127.0.0.1:5004
                routes:
                  - name: all
                    paths: [/]
                  - name: users
                    paths: [/users]
                    methods: [GET]
            """
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, output) = try await ExecutableProcess.run("pasarela", ["validate", "--config", path])
        #expect(status == 0)
        #expect(output.contains("OK (1 services, 2 routes"))
        let (routesStatus, table) = try await ExecutableProcess.run("pasarela", ["routes", "--config", path])
        #expect(routesStatus == 0)
        let lines = table.split(separator: "\n")
        let usersLine = try #require(lines.firstIndex { $0.contains(" users ") && $0.contains("/users") })
        let allLine = try #require(lines.firstIndex { $0.contains(" all ") })
        #expect(usersLine < allLine)
    }

    @Test func runReloadsOnSIGHUPAndDrainsOnSIGTERM() async throws {
        let upstream = try await TestUpstream()
        let port = try await unusedPort()
        func config(_ prefix: String) -> String {
            """
            _format_version: "3.0"
            pasarela:
              proxy_listen: 127.0.0.1:\(port)
              admin_listen: "off"
            services:
              - url: http://127.0.0.1:\(upstream.port)
                routes: [{paths: [\(prefix)]}]
            """
        }
        let path = try writeConfig(config("/first"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let gateway = try ExecutableProcess("pasarela", ["run", "--config", path])
        let group = MultiThreadedEventLoopGroup.singleton
        func status(_ uri: String) async -> Int? {
            guard let connection = try? await TestConnection.connect(port: port, group: group) else { return nil }
            let response = try? await connection.request(.GET, uri)
            await connection.close()
            return response?.status
        }
        #expect(await eventually { await status("/first/echo") == 200 }, "gateway did not start: \(gateway.output)")
        // SIGHUP reloads; the watcher might also see the change, either way the new route serves.
        try config("/second").write(toFile: path, atomically: true, encoding: .utf8)
        gateway.signal(SIGHUP)
        #expect(await eventually { await status("/second/echo") == 200 })
        #expect(await status("/first/echo") == 404)
        gateway.signal(SIGTERM)
        #expect(await gateway.wait() == 0)
        #expect(gateway.output.contains("shutting down"))
        await upstream.shutdown()
    }

    @Test func runRefusesAnInvalidFile() async throws {
        let path = try writeConfig("_format_version: \"2.9\"\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, output) = try await ExecutableProcess.run("pasarela", ["run", "--config", path])
        #expect(status == 1)
        #expect(output.contains("\(path):1:18: _format_version:"))
    }
}
