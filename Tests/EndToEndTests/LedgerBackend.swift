import Foundation
import ProcessTestSupport

/// Where an end-to-end system keeps its ledger: SQLite by default; PostgreSQL and MariaDB too when the
/// test scripts started their servers (`PAGOS_TEST_POSTGRES_URL`, scripts/test-postgres.sh;
/// `PAGOS_TEST_MYSQL_URL`, scripts/test-mariadb.sh), each system in a database of its own, created and
/// dropped with the server's command-line client.
enum LedgerBackend: String, Sendable, CustomStringConvertible {
    case sqlite
    case postgres
    case mysql

    var description: String { rawValue }

    /// The backends the end-to-end payment tests run on.
    static var available: [LedgerBackend] {
        var backends: [LedgerBackend] = [.sqlite]
        if postgresServer != nil || postgresRequired { backends.append(.postgres) }
        if mysqlServer != nil || mysqlRequired { backends.append(.mysql) }
        return backends
    }

    /// The PostgreSQL test server's URL (`postgres://postgres@host:port/postgres?sslmode=disable`).
    static var postgresServer: String? {
        ProcessInfo.processInfo.environment["PAGOS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var postgresRequired: Bool { ProcessInfo.processInfo.environment["PAGOS_TEST_POSTGRES"] == "1" }

    /// The test server's URL, without a database (`mysql://user:pass@host:port/`).
    static var mysqlServer: String? {
        ProcessInfo.processInfo.environment["PAGOS_TEST_MYSQL_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var mysqlRequired: Bool { ProcessInfo.processInfo.environment["PAGOS_TEST_MYSQL"] == "1" }

    /// A fresh ledger's `DATABASE_URL`.
    func createLedger(in directory: URL) async throws -> String {
        switch self {
        case .sqlite:
            return "sqlite://\(directory.path)/ledger.sqlite"
        case .postgres:
            let server = try PostgresServer()
            let name = "pagos_e2e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await server.run("CREATE DATABASE \(name)")
            return server.url(database: name)
        case .mysql:
            let server = try MySQLServer()
            let name = "pagos_e2e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await server.run("CREATE DATABASE \(name)")
            return server.url(database: name)
        }
    }

    /// Drops the database of a ledger made by ``createLedger(in:)`` (SQLite files go with the directory).
    func dropLedger(_ url: String) async throws {
        let path = url.split(separator: "?").first.map(String.init) ?? url
        guard let name = path.split(separator: "/").last.map(String.init), name.hasPrefix("pagos_e2e_") else { return }
        switch self {
        case .sqlite: return
        case .postgres: try await PostgresServer().run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        case .mysql: try await MySQLServer().run("DROP DATABASE IF EXISTS \(name)")
        }
    }
}

/// The test PostgreSQL server, reached with `psql` (trust authentication on loopback).
struct PostgresServer {
    let server: URLComponents

    init() throws {
        guard let text = LedgerBackend.postgresServer, let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw PagosSystem.SystemError(
                description: "PAGOS_TEST_POSTGRES_URL is not a postgres:// URL (run under scripts/test-postgres.sh run)"
            )
        }
        server = components
    }

    /// The server's URL with `database` instead of its own.
    func url(database: String) -> String {
        var components = server
        components.path = "/" + database
        return components.string ?? ""
    }

    /// Runs SQL with `psql` against the server's own database.
    func run(_ sql: String) async throws {
        let (status, output) = try await ChildProcess.run(
            "/usr/bin/env",
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server.string ?? "", "-c", sql]
        )
        guard status == 0 else {
            throw PagosSystem.SystemError(description: "psql -c \"\(sql)\" exited with \(status): \(output)")
        }
    }
}

/// The test MariaDB server, reached with the `mariadb` client.
struct MySQLServer {
    let host: String
    let port: Int
    let user: String
    let password: String
    private let base: String

    init() throws {
        guard let text = LedgerBackend.mysqlServer else {
            throw PagosSystem.SystemError(description: "PAGOS_TEST_MYSQL_URL is not set (run under scripts/test-mariadb.sh run)")
        }
        guard let url = URL(string: text), url.scheme == "mysql" || url.scheme == "mariadb", let host = url.host else {
            throw PagosSystem.SystemError(description: "PAGOS_TEST_MYSQL_URL is not a mysql:// URL")
        }
        self.host = host
        self.port = url.port ?? 3306
        self.user = url.user ?? "root"
        self.password = url.password ?? ""
        self.base = text.hasSuffix("/") ? text : text + "/"
    }

    func url(database: String) -> String { base + database }

    /// Runs SQL with the command-line client (the password travels in its environment, not its arguments).
    func run(_ sql: String) async throws {
        let (status, output) = try await ChildProcess.run(
            "/usr/bin/env",
            ["mariadb", "--no-defaults", "--protocol=TCP", "-h", host, "-P", String(port), "-u", user, "-e", sql],
            environment: ChildProcess.environment(adding: ["MYSQL_PWD": password])
        )
        guard status == 0 else {
            throw PagosSystem.SystemError(description: "mariadb -e \"\(sql)\" exited with \(status): \(output)")
        }
    }
}
