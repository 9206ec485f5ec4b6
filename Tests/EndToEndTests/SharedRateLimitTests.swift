import Foundation
import GatewayTestSupport
import NIOCore
import NIOPosix
import Testing

/// Three `pasarela run` processes enforce one `rate-limiting` limit through one Redis (issue 7).
@Suite(.enabled(if: TestRedis.isAvailable, "redis-server is not installed"))
struct SharedRateLimitTests {
    static let limit = 300

    static func config(proxyPort: Int, upstream: Int, redis: Int) -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:\(proxyPort)
          admin_listen: "off"
        services:
          - name: api
            url: http://127.0.0.1:\(upstream)
            routes:
              - name: limited
                paths: [/limited]
                plugins:
                  - name: rate-limiting
                    config:
                      year: \(limit)
                      limit_by: ip
                      policy: redis
                      fault_tolerant: false
                      redis: {host: 127.0.0.1, port: \(redis)}
              - name: probe
                paths: [/probe]
        """
    }

    @Test func threeGatewaysShareOneLimit() async throws {
        try await withRedis { redis in
            let upstream = try await TestUpstream()
            var gateways: [(process: ExecutableProcess, port: Int)] = []
            var configPaths: [String] = []
            defer {
                for gateway in gateways { gateway.process.signal(SIGKILL) }
                for path in configPaths { try? FileManager.default.removeItem(atPath: path) }
            }
            for _ in 0..<3 {
                let port = try await unusedPort()
                let path = FileManager.default.temporaryDirectory
                    .appendingPathComponent("pasarela-shared-limit-\(UUID().uuidString).yaml").path
                configPaths.append(path)
                try Self.config(proxyPort: port, upstream: upstream.port, redis: redis.port)
                    .write(toFile: path, atomically: true, encoding: .utf8)
                gateways.append((try ExecutableProcess("pasarela", ["run", "--config", path]), port))
            }
            let group = MultiThreadedEventLoopGroup.singleton
            @Sendable func status(_ port: Int, _ uri: String) async -> Int? {
                guard let connection = try? await TestConnection.connect(port: port, group: group) else { return nil }
                let response = try? await connection.request(.GET, uri)
                await connection.close()
                return response?.status
            }
            for gateway in gateways {
                let up = await eventually(timeout: .seconds(30)) { await status(gateway.port, "/probe/echo") == 200 }
                try #require(up, "gateway did not start: \(gateway.process.output)")
            }

            // Twice the limit, spread over the three processes, 30 at a time.
            let ports = gateways.map(\.port)
            let statuses = await withTaskGroup(of: Int?.self) { tasks in
                var results: [Int?] = []
                for index in 0..<(Self.limit * 2) {
                    if index >= 30, let result = await tasks.next() { results.append(result) }
                    let port = ports[index % ports.count]
                    tasks.addTask { await status(port, "/limited/echo") }
                }
                for await result in tasks { results.append(result) }
                return results
            }
            let accepted = statuses.filter { $0 == 200 }.count
            let refused = statuses.filter { $0 == 429 }.count
            #expect(accepted + refused == Self.limit * 2, "other answers: \(statuses.filter { $0 != 200 && $0 != 429 })")
            // Within 1% of the limit (the bound); the atomic script makes it exact.
            #expect(abs(accepted - Self.limit) <= Self.limit / 100, "accepted \(accepted) of \(Self.limit)")
            #expect(accepted == Self.limit)

            for gateway in gateways { gateway.process.signal(SIGTERM) }
            for gateway in gateways { #expect(await gateway.process.wait() == 0) }
            gateways = []
            await upstream.shutdown()
        }
    }
}
