import Logging
import NIOSSL
import PostgresKit
import SQLKit

/// The PostgreSQL backend: PostgresNIO's `PostgresClient` pool, each leased connection wrapped as a
/// sql-kit session. Write transactions run at READ COMMITTED and lock the rows they change with
/// `SELECT … FOR UPDATE`; a deadlock or serialization failure (rolled back by the server) is retried.
final class PostgresLedgerDatabase: LedgerDatabase {
    let dialect = LedgerDialect.postgresql
    private let client: PostgresClient
    private let runTask: Task<Void, Never>

    private init(client: PostgresClient) {
        self.client = client
        self.runTask = Task { await client.run() }
    }

    /// Connects once to check the address and login (so that a wrong password or a closed port is reported
    /// as such, not as a timeout), then starts the pool.
    static func open(
        address: DatabaseURL.ServerAddress,
        configuration: LedgerConfiguration
    ) async throws -> PostgresLedgerDatabase {
        let target = "\(address.username)@\(address.host):\(address.port)/\(address.database ?? address.username)"
        let tlsConfiguration = Self.tlsConfiguration(address.tls)
        do {
            let tls: PostgresConnection.Configuration.TLS =
                switch (address.tls, tlsConfiguration) {
                case (.prefer, let tls?): .prefer(try NIOSSLContext(configuration: tls))
                case (.require, let tls?): .require(try NIOSSLContext(configuration: tls))
                default: .disable
                }
            let probeConfiguration = PostgresConnection.Configuration(
                host: address.host,
                port: address.port,
                username: address.username,
                password: address.password,
                database: address.database,
                tls: tls
            )
            let logger = configuration.logger
            let connection = try await withDeadline(configuration.connectTimeout, what: "connecting to PostgreSQL") {
                try await PostgresConnection.connect(configuration: probeConfiguration, id: 0, logger: logger)
            }
            try await connection.close()
        } catch let error as LedgerError {
            throw LedgerError.unavailable("cannot connect to PostgreSQL at \(target): \(error)")
        } catch {
            throw LedgerError.unavailable("cannot connect to PostgreSQL at \(target): \(describePostgres(error))")
        }
        let clientTLS: PostgresClient.Configuration.TLS =
            switch (address.tls, tlsConfiguration) {
            case (.prefer, let tls?): .prefer(tls)
            case (.require, let tls?): .require(tls)
            default: .disable
            }
        var clientConfiguration = PostgresClient.Configuration(
            host: address.host,
            port: address.port,
            username: address.username,
            password: address.password,
            database: address.database,
            tls: clientTLS
        )
        clientConfiguration.options.maximumConnections = max(1, configuration.maximumConnections)
        clientConfiguration.options.connectTimeout = configuration.connectTimeout
        return PostgresLedgerDatabase(
            client: PostgresClient(configuration: clientConfiguration, backgroundLogger: configuration.logger)
        )
    }

    func withReader<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await withSession(body)
    }

    func withWriter<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await withSession(body)
    }

    private func withSession<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await client.withConnection { connection in
            try await body(connection.sql(queryLogLevel: .trace))
        }
    }

    func classify(_ error: any Error) -> DatabaseFailure {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return .other }
        switch state {
        case PostgresError.Code.uniqueViolation.raw: return .uniqueViolation
        case PostgresError.Code.serializationFailure.raw, PostgresError.Code.deadlockDetected.raw,
            PostgresError.Code.lockNotAvailable.raw:
            return .transient
        default: return .other
        }
    }

    func describe(_ error: any Error) -> String {
        Self.describePostgres(error)
    }

    func close() async throws {
        runTask.cancel()
        await runTask.value
    }

    /// libpq's meaning of `sslmode`: `prefer` encrypts without checking the certificate, `require` (as
    /// `verify-full` here) checks it against the system's trust roots and the host name.
    private static func tlsConfiguration(_ mode: DatabaseURL.ServerAddress.TLSMode) -> TLSConfiguration? {
        switch mode {
        case .disable:
            return nil
        case .prefer:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return tls
        case .require:
            return TLSConfiguration.makeClientConfiguration()
        }
    }

    /// The server's SQLSTATE and message, or the client's error code; never the statement or its binds.
    private static func describePostgres(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let info = error.serverInfo {
            return "PostgreSQL \(info[.sqlState] ?? "?"): \(info[.message] ?? "no message")"
        }
        if let underlying = error.underlying {
            return "PostgreSQL client: \(error.code): \(underlying)"
        }
        return "PostgreSQL client: \(error.code)"
    }
}
