import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// The SQLite backend: one file in WAL mode, one writing connection and a few read-only ones.
///
/// - WAL lets readers run while the writer writes; `synchronous = FULL` makes a commit durable before it
///   returns (the worker acknowledges a job after commit).
/// - In-process writers queue for the single writer connection (an async wait, no thread held); writers in
///   other processes (the other services share the file) are waited for by SQLite's `busy_timeout`, which
///   also replaces SQLiteNIO's default busy handler (an endless retry loop).
/// - Write transactions start with `BEGIN IMMEDIATE`: the write lock is taken at once, so the reads inside a
///   transaction are never stale and a lock upgrade can never deadlock.
/// - Statements run on a thread pool of its own, one thread per connection, so a connection waiting on
///   the file lock never starves the others.
final class SQLiteLedgerDatabase: LedgerDatabase {
    let dialect = LedgerDialect.sqlite
    private let threadPool: NIOThreadPool
    private let writer: ConnectionPool<SQLiteConnection>
    private let readers: ConnectionPool<SQLiteConnection>

    private init(threadPool: NIOThreadPool, writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.threadPool = threadPool
        self.writer = ConnectionPool([writer])
        self.readers = ConnectionPool(readers)
    }

    /// Opens (creating it and its directory if needed) the database file at `path`.
    static func open(path: String, configuration: LedgerConfiguration) async throws -> SQLiteLedgerDatabase {
        let file = absolute(path)
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: file).deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
        } catch {
            throw LedgerError.unavailable("cannot create the directory of \(file): \(error.localizedDescription)")
        }
        let readerCount = max(1, configuration.maximumConnections)
        let threadPool = NIOThreadPool(numberOfThreads: readerCount + 1)
        threadPool.start()
        var opened: [SQLiteConnection] = []
        do {
            let busy =
                Int64(configuration.busyTimeout.components.seconds * 1000)
                + configuration.busyTimeout.components.attoseconds / 1_000_000_000_000_000
            let writer = try await connect(file, threadPool: threadPool, logger: configuration.logger)
            opened.append(writer)
            try await configure(writer, busyTimeoutMilliseconds: busy, readOnly: false)
            for _ in 0..<readerCount {
                let reader = try await connect(file, threadPool: threadPool, logger: configuration.logger)
                opened.append(reader)
                try await configure(reader, busyTimeoutMilliseconds: busy, readOnly: true)
            }
            return SQLiteLedgerDatabase(threadPool: threadPool, writer: writer, readers: Array(opened.dropFirst()))
        } catch {
            for connection in opened { try? await connection.close() }
            try? await threadPool.shutdownGracefully()
            if let error = error as? LedgerError { throw error }
            throw LedgerError.unavailable("cannot open the SQLite database \(file): \(describeSQLite(error))")
        }
    }

    func withReader<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await readers.withConnection { try await body($0.sql(queryLogLevel: .trace)) }
    }

    func withWriter<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await writer.withConnection { try await body($0.sql(queryLogLevel: .trace)) }
    }

    func classify(_ error: any Error) -> DatabaseFailure {
        guard let error = error as? SQLiteError else { return .other }
        switch error.reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed: return .uniqueViolation
        case .busy, .busyTimeout, .busyInRecovery, .busyInSnapshot, .locked: return .transient
        default: return .other
        }
    }

    func describe(_ error: any Error) -> String {
        Self.describeSQLite(error)
    }

    func close() async throws {
        let connections = await writer.drain() + readers.drain()
        for connection in connections { try? await connection.close() }
        try await threadPool.shutdownGracefully()
    }

    // MARK: Opening

    private static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }

    private static func connect(_ file: String, threadPool: NIOThreadPool, logger: Logger) async throws -> SQLiteConnection {
        try await SQLiteConnection.open(
            storage: .file(path: file),
            threadPool: threadPool,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
    }

    /// Per-connection settings. `journal_mode = WAL` is stored in the file (set once, by the writer).
    private static func configure(_ connection: SQLiteConnection, busyTimeoutMilliseconds: Int64, readOnly: Bool) async throws {
        let sql = connection.sql(queryLogLevel: .trace)
        try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(busyTimeoutMilliseconds))").run()
        try await sql.raw("PRAGMA foreign_keys = ON").run()
        if readOnly {
            try await sql.raw("PRAGMA query_only = ON").run()
            return
        }
        let mode = try await sql.raw("PRAGMA journal_mode = WAL").first()?.decode(column: "journal_mode", as: String.self)
        guard mode?.lowercased() == "wal" else {
            throw LedgerError.unavailable("SQLite refused WAL mode (journal_mode is \(mode ?? "unknown"))")
        }
        try await sql.raw("PRAGMA synchronous = FULL").run()
    }

    private static func describeSQLite(_ error: any Error) -> String {
        if let error = error as? SQLiteError { return "SQLite: \(error.message) (\(error.reason))" }
        return String(describing: error)
    }
}
