import AMQPTestSupport
import Foundation
import GatewayTestSupport

/// The whole GestorPagos system as `make run` starts it, on free ports, a fresh ledger (a temp SQLite
/// file, or a new database on the test MariaDB server) and the test broker (names prefixed so that
/// systems never share queues): four `pagos` processes and `pasarela` serving the repository's own
/// gateway.yaml.
final class PagosSystem: @unchecked Sendable {
    let directory: URL
    let database: LedgerBackend
    /// The ledger's URL, set by ``start()``.
    private(set) var databaseURL = ""
    let prefix: String
    let jwtSecret = "test-secret-\(UUID().uuidString)"
    let legacyKey = "legacy-\(UUID().uuidString.prefix(8))"
    var ports: [String: Int] = [:]
    var processes: [String: ExecutableProcess] = [:]
    var environment: [String: String] = [:]

    static let services = ["users", "payments", "reports", "notifications"]

    /// The repository's gateway.yaml.
    static var gatewayConfig: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("gateway.yaml").path
    }

    init(database: LedgerBackend = .sqlite) throws {
        self.database = database
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pagos-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        prefix = "e2e-\(UUID().uuidString.prefix(8).lowercased())."
    }

    var proxy: String { "http://127.0.0.1:\(ports["gateway"] ?? 0)" }
    var admin: String { "http://127.0.0.1:\(ports["admin"] ?? 0)" }

    func start() async throws {
        for name in Self.services + ["gateway", "admin"] { ports[name] = try await unusedPort() }
        let amqp = try TestBroker.amqpURL().description
        databaseURL = try await database.createLedger(in: directory)
        environment = [
            "DATABASE_URL": databaseURL,
            "AMQP_URL": TestBroker.url ?? amqp,
            "PAGOS_AMQP_PREFIX": prefix,
            "JWT_SECRET": jwtSecret,
            "LEGACY_API_KEY": legacyKey,
            "PAGOS_LOG_LEVEL": "notice",
            "PASARELA_LOG_LEVEL": "warning",
            "PASARELA_PROXY_LISTEN": "127.0.0.1:\(ports["gateway"] ?? 0)",
            "PASARELA_ADMIN_LISTEN": "127.0.0.1:\(ports["admin"] ?? 0)",
            "PAGOS_USERS_URL": "http://127.0.0.1:\(ports["users"] ?? 0)",
            "PAGOS_PAYMENTS_URL": "http://127.0.0.1:\(ports["payments"] ?? 0)",
            "PAGOS_REPORTS_URL": "http://127.0.0.1:\(ports["reports"] ?? 0)",
            "PAGOS_NOTIFICATIONS_URL": "http://127.0.0.1:\(ports["notifications"] ?? 0)",
            "PAGOS_RATE_LIMIT_PER_MINUTE": "100000",
            "PAGOS_PAYMENTS_PER_MINUTE": "100000",
        ]
        // The ledger is migrated by the first service; start users first so the others find it ready.
        try await startService("users")
        for name in Self.services.dropFirst() { try await startService(name) }
        processes["gateway"] = try ExecutableProcess(
            "pasarela",
            ["run", "--config", Self.gatewayConfig],
            environment: environment
        )
        guard try await waitForHTTP("\(proxy)/nothing", expecting: 404) else {
            throw SystemError(description: "the gateway did not start:\n\(processes["gateway"]?.output ?? "")")
        }
    }

    func startService(_ name: String) async throws {
        processes[name] = try ExecutableProcess("pagos", [name, "--port", String(ports[name] ?? 0)], environment: environment)
        guard try await waitForHTTP("http://127.0.0.1:\(ports[name] ?? 0)/health", expecting: 200) else {
            throw SystemError(description: "pagos \(name) did not start:\n\(processes[name]?.output ?? "")")
        }
    }

    /// Kills a service with SIGKILL (no graceful anything) and waits for it to be gone.
    func kill(_ name: String) async {
        processes[name]?.signal(SIGKILL)
        _ = await processes[name]?.wait(timeout: .seconds(10))
    }

    func stop() async {
        for (_, process) in processes { process.signal(SIGTERM) }
        for (_, process) in processes { _ = await process.wait(timeout: .seconds(15)) }
        try? await database.dropLedger(databaseURL)
        try? FileManager.default.removeItem(at: directory)
    }

    func logs() -> String {
        processes.map { "--- \($0.key)\n\($0.value.output.suffix(4000))" }.joined(separator: "\n")
    }

    struct SystemError: Error, CustomStringConvertible {
        let description: String
    }

    func waitForHTTP(_ url: String, expecting status: Int, timeout: Duration = .seconds(60)) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if let response = try? await HTTP.call("GET", url), response.status == status { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
