import SQLKit

/// A backend's connections as ``SQLLedgerStore`` uses them: each hands out sql-kit `SQLDatabase`
/// sessions bound to one connection, so that the store's single SQL code path runs on every backend.
/// The MySQL/MariaDB backend implements it over MariaDB Connector/C and an `SQLDatabase` adapter.
protocol LedgerDatabase: Sendable {
    /// The backend's SQL differences.
    var dialect: LedgerDialect { get }

    /// Runs `body` on one connection in autocommit mode, for reads (SQLite: a read-only connection).
    func withReader<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R

    /// Runs `body` on a connection that may write (SQLite: the only writing connection). The store
    /// opens the transaction itself (``SQLTransaction``).
    func withWriter<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R

    /// What kind of failure a backend error is.
    func classify(_ error: any Error) -> DatabaseFailure

    /// A one-line description of a backend error for ``LedgerError/database(_:)``: the database's own
    /// message and code, never the statement's bound values.
    func describe(_ error: any Error) -> String

    /// Runs the schema migrations (`body`) while holding a lock that other processes migrating the same
    /// database wait for. Only needed where DDL commits implicitly (MySQL), so that the migrations
    /// table's row lock cannot serialise starters; the default runs `body` as is.
    func withMigrationLock<R>(_ body: () async throws -> R) async throws -> R

    /// Closes every connection (waiting for those in use).
    func close() async throws
}

extension LedgerDatabase {
    func withMigrationLock<R>(_ body: () async throws -> R) async throws -> R {
        try await body()
    }
}

/// How the store reacts to a backend error.
enum DatabaseFailure: Sendable, Hashable {
    /// A UNIQUE constraint or primary key was violated: the row exists (a duplicate job, username, event).
    case uniqueViolation
    /// The transaction was rolled back for a reason that trying again may fix, and nothing of it was
    /// committed (lock timeout, deadlock, serialization failure).
    case transient
    /// Anything else (including a lost connection: a commit may or may not have happened).
    case other
}

/// Explicit transactions on one session: `BEGIN …` (the dialect's), the body, `COMMIT`; `ROLLBACK` when
/// anything fails, before the error goes on.
enum SQLTransaction {
    static func run<R>(
        on session: any SQLDatabase,
        begin: String,
        _ body: (any SQLDatabase) async throws -> R
    ) async throws -> R {
        try await session.raw(SQLQueryString(begin)).run()
        let result: R
        do {
            result = try await body(session)
            try await session.raw("COMMIT").run()
        } catch {
            // The error that matters is the first one; a failed rollback (a dead connection) adds nothing.
            try? await session.raw("ROLLBACK").run()
            throw error
        }
        return result
    }
}
