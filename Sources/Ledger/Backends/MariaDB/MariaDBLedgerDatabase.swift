import Logging
import NIOCore
import NIOPosix
import SQLKit

/// The MySQL/MariaDB backend, over MariaDB Connector/C (issue 9).
///
/// - Connections come from ``MariaDBConnectionPool`` (up to ``LedgerConfiguration/maximumConnections``,
///   opened lazily); a connection that lost the server is dropped and a new one opened, so the ledger
///   carries on after the server restarts. Statements in flight when it went away fail (the payments
///   worker retries the job; a job id is applied at most once).
/// - The C client blocks: every call runs on a thread pool of this backend (one thread per connection,
///   plus one for the migration lock), never on an event loop or the Swift concurrency pool.
/// - InnoDB, REPEATABLE READ; write transactions lock the rows they change with `SELECT … FOR UPDATE`
///   (as on PostgreSQL). A deadlock (1213) or lock wait timeout (1205) rolled the transaction back and
///   is retried by the store.
/// - MySQL commits implicitly at each DDL statement, so migrations also hold a server-wide named lock
///   (`GET_LOCK`) per database on a connection of their own: concurrent starters wait for it.
final class MariaDBLedgerDatabase: LedgerDatabase {
    let dialect = LedgerDialect.mysql
    private let threads: NIOThreadPool
    private let pool: MariaDBConnectionPool
    private let options: MariaDBConnectOptions
    private let logger: Logger

    private init(threads: NIOThreadPool, pool: MariaDBConnectionPool, options: MariaDBConnectOptions, logger: Logger) {
        self.threads = threads
        self.pool = pool
        self.options = options
        self.logger = logger
    }

    /// Connects once to check the address and login (a wrong password or a closed port is reported as
    /// such), keeps that connection in the pool, and returns the backend.
    static func open(address: DatabaseURL.ServerAddress, configuration: LedgerConfiguration) async throws -> MariaDBLedgerDatabase
    {
        let options = MariaDBConnectOptions(
            host: address.host,
            port: address.port,
            socket: address.socket,
            username: address.username,
            password: address.password,
            database: address.database,
            connectTimeout: seconds(configuration.connectTimeout),
            lockWaitTimeout: seconds(configuration.busyTimeout)
        )
        let maximum = max(1, configuration.maximumConnections)
        let threads = NIOThreadPool(numberOfThreads: maximum + 1)
        threads.start()
        let pool = MariaDBConnectionPool(maximum: maximum, checkAfter: .seconds(1), threads: threads) {
            try MariaDBConnection.connect(options)
        }
        let database = MariaDBLedgerDatabase(threads: threads, pool: pool, options: options, logger: configuration.logger)
        do {
            try await pool.withConnection { _ in }
        } catch {
            try? await database.close()
            let target =
                address.socket.map { "\(address.username)@\($0)" } ?? "\(address.username)@\(address.host):\(address.port)"
            throw LedgerError.unavailable(
                "cannot connect to MySQL/MariaDB at \(target)/\(address.database ?? ""): \(database.describe(error))"
            )
        }
        return database
    }

    func withReader<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await withSession(body)
    }

    func withWriter<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await withSession(body)
    }

    private func withSession<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await pool.withConnection { connection in
            try await body(
                MariaDBSession(
                    connection: connection,
                    threads: threads,
                    logger: logger,
                    eventLoop: MultiThreadedEventLoopGroup.singleton.any()
                )
            )
        }
    }

    /// Holds `GET_LOCK` (named after the database) on a connection of its own around `body`.
    func withMigrationLock<R>(_ body: () async throws -> R) async throws -> R {
        let options = self.options
        let connection: MariaDBConnection
        do {
            connection = try await threads.runIfActive { try MariaDBConnection.connect(options) }
            let rows = try await threads.runIfActive {
                try connection.execute(
                    "SELECT GET_LOCK(CONCAT('pagos_ledger_', MD5(DATABASE())), ?) AS locked",
                    [.int(Int64(options.connectTimeout))]
                )
            }
            guard let locked = rows.first, try locked.decode(column: "locked", as: Int64?.self) == 1 else {
                try? await threads.runIfActive { connection.close() }
                throw LedgerError.unavailable("another process held the ledger's migration lock for \(options.connectTimeout) s")
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError.unavailable("cannot take the ledger's migration lock: \(describe(error))")
        }
        let outcome: Result<R, any Error>
        do {
            outcome = .success(try await body())
        } catch {
            outcome = .failure(error)
        }
        // Closing the session releases the lock.
        try? await threads.runIfActive { connection.close() }
        return try outcome.get()
    }

    func classify(_ error: any Error) -> DatabaseFailure {
        guard let error = error as? MariaDBError else { return .other }
        if error.isUniqueViolation { return .uniqueViolation }
        if error.isTransient { return .transient }
        return .other
    }

    func describe(_ error: any Error) -> String {
        String(describing: error)
    }

    func close() async throws {
        await pool.close()
        try await threads.shutdownGracefully()
    }

    /// Whole seconds, at least 1.
    private static func seconds(_ duration: Duration) -> UInt32 {
        UInt32(clamping: max(1, duration.components.seconds))
    }
}
