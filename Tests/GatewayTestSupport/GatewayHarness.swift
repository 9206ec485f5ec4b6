import Foundation
import Gateway
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real gateway process (in this test process) on free loopback ports, configured from YAML text.
/// `{{UPSTREAM}}` in the text is replaced by the test upstream's `127.0.0.1:PORT`.
public final class GatewayHarness: Sendable {
    public let process: GatewayProcess
    public let proxyPort: Int
    public let adminPort: Int
    public let configPath: String
    public let clientGroup: MultiThreadedEventLoopGroup

    public static func start(
        _ yaml: String,
        upstream: TestUpstream? = nil,
        registry: PluginRegistry = PluginRegistry([]),
        environment: [String: String] = [:]
    ) async throws -> GatewayHarness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pasarela-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("gateway.yaml").path
        let text = yaml.replacingOccurrences(of: "{{UPSTREAM}}", with: "127.0.0.1:\(upstream?.port ?? 1)")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var logger = Logger(label: "test-gateway")
        logger.logLevel = .critical
        let process = try GatewayProcess(
            configPath: path,
            registry: registry,
            environment: environment,
            logger: logger,
            eventLoopThreads: 2
        )
        let addresses = try await process.start()
        return GatewayHarness(
            process: process,
            proxyPort: addresses.proxy?.port ?? 0,
            adminPort: addresses.admin?.port ?? 0,
            configPath: path
        )
    }

    private init(process: GatewayProcess, proxyPort: Int, adminPort: Int, configPath: String) {
        self.process = process
        self.proxyPort = proxyPort
        self.adminPort = adminPort
        self.configPath = configPath
        self.clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// A new keep-alive connection to the proxy.
    public func connect() async throws -> TestConnection {
        try await TestConnection.connect(port: proxyPort, group: clientGroup)
    }

    /// One request on a new connection.
    public func request(
        _ method: HTTPMethod = .GET,
        _ uri: String,
        headers: [(String, String)] = [],
        body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        let connection = try await connect()
        do {
            let response = try await connection.request(method, uri, headers: headers, body: body)
            await connection.close()
            return response
        } catch {
            await connection.close()
            throw error
        }
    }

    /// One admin API request.
    public func admin(_ method: HTTPMethod = .GET, _ uri: String) async throws -> TestResponse {
        let connection = try await TestConnection.connect(port: adminPort, group: clientGroup)
        do {
            let response = try await connection.request(method, uri)
            await connection.close()
            return response
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Raw bytes to the proxy port.
    public func raw(_ request: String, wait: TimeAmount = .seconds(3)) async throws -> String {
        try await RawClient.exchange(port: proxyPort, request, wait: wait, group: clientGroup)
    }

    public func stop() async {
        await process.shutdown()
        try? await clientGroup.shutdownGracefully()
        try? FileManager.default.removeItem(atPath: (configPath as NSString).deletingLastPathComponent)
    }
}

/// A loopback port nothing listens on (bound, then closed), for a server a test starts later.
///
/// Picked from 10000–19999, below the kernel's ephemeral range (32768–60999 here) and below the
/// ports the test-server scripts pick (20000 up): a port the kernel hands out for `bind(0)` comes
/// from the range outgoing connections draw their local ports from, so a busy suite's client socket
/// could take it before the server binds it ("Address already in use"). Never the same port twice
/// in one test process.
public func unusedPort() async throws -> Int {
    for _ in 0..<500 {
        guard let candidate = PortPicker.shared.next() else { break }
        let bound = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: candidate).get()
        if let bound {
            try? await bound.close()
            return candidate
        }
    }
    throw PortPicker.Exhausted()
}

/// Hands out each candidate port of ``unusedPort()`` once per process, in random order.
final class PortPicker: Sendable {
    static let shared = PortPicker(range: 10_000..<20_000)

    struct Exhausted: Error, CustomStringConvertible {
        var description: String { "no unused loopback port left in 10000-19999" }
    }

    private let remaining: Mutex<[Int]>

    init(range: Range<Int>) {
        remaining = Mutex(Array(range).shuffled())
    }

    /// A port not handed out before, or nil when all were.
    func next() -> Int? {
        remaining.withLock { $0.popLast() }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
public func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Runs `body` against a gateway configured by `yaml` in front of a fresh scripted upstream, and
/// stops both afterwards, also when the body throws.
public func withGateway<T>(
    _ yaml: String,
    registry: PluginRegistry = PluginRegistry([]),
    environment: [String: String] = [:],
    _ body: (GatewayHarness, TestUpstream) async throws -> T
) async throws -> T {
    let upstream = try await TestUpstream()
    let gateway: GatewayHarness
    do {
        gateway = try await GatewayHarness.start(yaml, upstream: upstream, registry: registry, environment: environment)
    } catch {
        await upstream.shutdown()
        throw error
    }
    do {
        let result = try await body(gateway, upstream)
        await gateway.stop()
        await upstream.shutdown()
        return result
    } catch {
        await gateway.stop()
        await upstream.shutdown()
        throw error
    }
}
