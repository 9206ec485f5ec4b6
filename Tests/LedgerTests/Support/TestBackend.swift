import Foundation
import Logging
import PostgresNIO
import Testing

@testable import Ledger

/// A backend the shared storage suite runs against. SQLite always; PostgreSQL and MariaDB when the test
/// scripts started a server (`PAGOS_TEST_POSTGRES_URL`, `PAGOS_TEST_MYSQL_URL`, see
/// scripts/test-postgres.sh and scripts/test-mariadb.sh). `PAGOS_TEST_POSTGRES=1` / `PAGOS_TEST_MYSQL=1`
/// without a URL fails the suite instead of skipping that backend.
enum TestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres
    case mysql

    var testDescription: String { rawValue }

    /// The backends to run: the arguments of every storage test.
    static var available: [TestBackend] {
        var backends: [TestBackend] = [.sqlite]
        if postgresURL != nil || postgresRequired { backends.append(.postgres) }
        if mysqlURL != nil || mysqlRequired { backends.append(.mysql) }
        return backends
    }

    static var mysqlURL: String? {
        ProcessInfo.processInfo.environment["PAGOS_TEST_MYSQL_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var mysqlRequired: Bool {
        ProcessInfo.processInfo.environment["PAGOS_TEST_MYSQL"] == "1"
    }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PAGOS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var postgresRequired: Bool {
        ProcessInfo.processInfo.environment["PAGOS_TEST_POSTGRES"] == "1"
    }
}

/// A fresh, empty database on a backend for one test, deleted afterwards.
struct TestDatabase: Sendable {
    let backend: TestBackend
    /// The URL to open the ledger with.
    let url: DatabaseURL
    private let cleanup: @Sendable () async throws -> Void

    static func make(_ backend: TestBackend) async throws -> TestDatabase {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("pagos-ledger-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return TestDatabase(
                backend: backend,
                url: .sqlite(path: directory.appendingPathComponent("ledger.sqlite").path),
                cleanup: { try FileManager.default.removeItem(at: directory) }
            )
        case .postgres:
            guard let text = TestBackend.postgresURL else {
                throw TestSetupError(
                    "PAGOS_TEST_POSTGRES=1 but PAGOS_TEST_POSTGRES_URL is not set (run scripts/test-postgres.sh)"
                )
            }
            guard case .postgres(let admin) = try DatabaseURL(text) else {
                throw TestSetupError("PAGOS_TEST_POSTGRES_URL is not a postgres:// URL")
            }
            let name = "ledger_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await PostgresAdmin(admin).execute("CREATE DATABASE \(name)")
            var address = admin
            address.database = name
            return TestDatabase(
                backend: backend,
                url: .postgres(address),
                cleanup: { try await PostgresAdmin(admin).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
            )
        case .mysql:
            let admin = try MariaDBAdmin.fromEnvironment()
            let name = "ledger_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await admin.execute("CREATE DATABASE \(name)")
            var address = admin.address
            address.database = name
            return TestDatabase(
                backend: backend,
                url: .mysql(address),
                cleanup: { try await admin.execute("DROP DATABASE IF EXISTS \(name)") }
            )
        }
    }

    /// The configuration tests open the ledger with.
    func configuration(clock: TestClock = TestClock()) -> LedgerConfiguration {
        var logger = Logger(label: "ledger-test")
        logger.logLevel = .warning
        return LedgerConfiguration(url: url, clock: { clock.now() }, logger: logger)
    }

    func remove() async throws {
        try await cleanup()
    }
}

/// Runs `body` with a fresh database (no ledger opened yet); deletes it afterwards.
func withDatabase(_ backend: TestBackend, _ body: (TestDatabase) async throws -> Void) async throws {
    let database = try await TestDatabase.make(backend)
    do {
        try await body(database)
    } catch {
        try? await database.remove()
        throw error
    }
    try await database.remove()
}

/// Runs `body` with a migrated ledger on a fresh database; closes and deletes it afterwards.
func withLedger(
    _ backend: TestBackend,
    clock: TestClock = TestClock(),
    _ body: (SQLLedgerStore, TestDatabase) async throws -> Void
) async throws {
    let database = try await TestDatabase.make(backend)
    do {
        let store = try await SQLLedgerStore.open(database.configuration(clock: clock))
        do {
            try await body(store, database)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
        try await database.remove()
    } catch {
        try? await database.remove()
        throw error
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Statements on the PostgreSQL server's maintenance database (create and drop test databases).
struct PostgresAdmin {
    let address: DatabaseURL.ServerAddress

    init(_ address: DatabaseURL.ServerAddress) {
        self.address = address
    }

    func execute(_ sql: String) async throws {
        let configuration = PostgresConnection.Configuration(
            host: address.host,
            port: address.port,
            username: address.username,
            password: address.password,
            database: address.database,
            tls: .disable
        )
        let connection = try await PostgresConnection.connect(
            configuration: configuration,
            id: 1,
            logger: Logger(label: "ledger-test-admin")
        )
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "ledger-test-admin"))
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// Statements on the test MariaDB server outside any test database (create and drop them), through the
/// ledger's own client.
struct MariaDBAdmin: Sendable {
    let address: DatabaseURL.ServerAddress

    /// The server scripts/test-mariadb.sh started.
    static func fromEnvironment() throws -> MariaDBAdmin {
        guard let text = TestBackend.mysqlURL else {
            throw TestSetupError("PAGOS_TEST_MYSQL=1 but PAGOS_TEST_MYSQL_URL is not set (run scripts/test-mariadb.sh)")
        }
        guard case .mysql(let address) = try DatabaseURL(text) else {
            throw TestSetupError("PAGOS_TEST_MYSQL_URL is not a mysql:// URL")
        }
        return MariaDBAdmin(address: address)
    }

    /// Runs one parameterless statement (test code only: names are generated, never user input).
    func execute(_ sql: String) async throws {
        _ = try await query(sql, [])
    }

    /// Runs one statement with bound parameters on a connection of its own (off the caller's thread)
    /// and returns its rows.
    func query(_ sql: String, _ parameters: [MariaDBValue]) async throws -> [MariaDBRow] {
        let options = MariaDBConnectOptions(
            host: address.host,
            port: address.port,
            socket: address.socket,
            username: address.username,
            password: address.password,
            database: address.database,
            connectTimeout: 10,
            lockWaitTimeout: 10
        )
        return try await Task.detached {
            let connection = try MariaDBConnection.connect(options)
            defer { connection.close() }
            return try connection.execute(sql, parameters)
        }.value
    }
}
