import Foundation
import Logging
import SQLKit

/// The ``LedgerStore`` over SQL: one code path for every backend, written against sql-kit sessions and
/// ``LedgerDialect``. Open it with ``open(_:)``, which migrates the schema (and inserts the seed data once).
///
/// Writes run in explicit transactions on the backend's writer; a transaction that fails for a transient
/// reason (lock timeout, deadlock) was rolled back entirely and is tried again, up to
/// ``LedgerConfiguration/transactionAttempts`` times. Errors leave as ``LedgerError``.
public final class SQLLedgerStore: LedgerStore {
    let database: any LedgerDatabase
    let dialect: LedgerDialect
    let clock: @Sendable () -> Date
    let transactionAttempts: Int
    let logger: Logger

    init(database: any LedgerDatabase, configuration: LedgerConfiguration) {
        self.database = database
        self.dialect = database.dialect
        self.clock = configuration.clock
        self.transactionAttempts = max(1, configuration.transactionAttempts)
        self.logger = configuration.logger
    }

    /// Opens the database the configuration names, migrates it to the latest schema and returns the store.
    /// Throws ``LedgerError/unavailable(_:)`` when the database cannot be reached within
    /// ``LedgerConfiguration/connectTimeout``.
    public static func open(_ configuration: LedgerConfiguration) async throws -> SQLLedgerStore {
        let database: any LedgerDatabase
        switch configuration.url {
        case .sqlite(let path):
            database = try await SQLiteLedgerDatabase.open(path: path, configuration: configuration)
        case .postgres(let address):
            database = try await PostgresLedgerDatabase.open(address: address, configuration: configuration)
        case .mysql(let address):
            database = try await MariaDBLedgerDatabase.open(address: address, configuration: configuration)
        }
        let store = SQLLedgerStore(database: database, configuration: configuration)
        do {
            try await withDeadline(configuration.connectTimeout, what: "migrating the ledger schema") {
                try await LedgerMigrator(store: store).migrate()
            }
        } catch {
            try? await database.close()
            throw error
        }
        return store
    }

    public func close() async throws {
        try await database.close()
    }

    /// The current time in storage form.
    var now: Int64 { LedgerTimestamp.milliseconds(clock()) }

    // MARK: Sessions

    /// Runs `body` on a reader, mapping backend errors.
    func read<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await mapErrors { try await database.withReader(body) }
    }

    /// Runs `body` in a read-only transaction, so that several SELECTs see one snapshot.
    func snapshot<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await read { session in
            try await SQLTransaction.run(on: session, begin: dialect.beginSnapshot, body)
        }
    }

    /// Runs `body` in a write transaction, trying again after transient failures. `body` must be safe to
    /// run again: every attempt before the last was rolled back entirely. When the transaction fails on a
    /// UNIQUE constraint (a concurrent writer inserted the same key first) and `onUniqueViolation` is
    /// given, its result is returned instead (it reads what the other writer stored).
    func write<R>(
        _ body: (any SQLDatabase) async throws -> R,
        onUniqueViolation: (() async throws -> R)? = nil
    ) async throws -> R {
        let outcome: Result<R, any Error> = await Result {
            try await mapErrors(keepingUniqueViolations: onUniqueViolation != nil) {
                var attempt = 1
                while true {
                    do {
                        return try await database.withWriter { session in
                            try await SQLTransaction.run(on: session, begin: dialect.beginWrite, body)
                        }
                    } catch let error where attempt < transactionAttempts && database.classify(error) == .transient {
                        logger.debug("ledger transaction retried", metadata: ["attempt": "\(attempt)"])
                        try await Task.sleep(for: .milliseconds(10 * (1 << min(attempt, 6))))
                        attempt += 1
                    }
                }
            }
        }
        switch outcome {
        case .success(let value):
            return value
        case .failure(let error as UniqueViolation):
            guard let onUniqueViolation else { throw LedgerError.database(error.description) }
            return try await onUniqueViolation()
        case .failure(let error):
            throw error
        }
    }

    /// Lets ``LedgerError`` and cancellation through; turns backend errors into ``LedgerError/database(_:)``
    /// (unique violations into ``UniqueViolation`` when the caller handles them).
    private func mapErrors<R>(keepingUniqueViolations: Bool = false, _ body: () async throws -> R) async throws -> R {
        do {
            return try await body()
        } catch let error as LedgerError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            if keepingUniqueViolations && database.classify(error) == .uniqueViolation {
                throw UniqueViolation(description: database.describe(error))
            }
            throw LedgerError.database(database.describe(error))
        }
    }

    /// Checks a caller-supplied id (job id, event id).
    static func validate(id: String, what: String) throws(LedgerError) {
        guard !id.isEmpty else { throw .invalidArgument("the \(what) is empty") }
        guard id.count <= LedgerLimits.maximumIDLength else {
            throw .invalidArgument("the \(what) is longer than \(LedgerLimits.maximumIDLength) characters")
        }
    }

    /// A list size within `1...maximumPageSize`.
    static func clamp(limit: Int) -> Int {
        min(max(limit, 1), LedgerLimits.maximumPageSize)
    }
}

/// A UNIQUE constraint failed inside ``SQLLedgerStore/write(_:onUniqueViolation:)``; never leaves the store.
struct UniqueViolation: Error {
    let description: String
}

extension Result where Failure == any Error {
    /// The result of an async throwing body.
    fileprivate init(_ body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
