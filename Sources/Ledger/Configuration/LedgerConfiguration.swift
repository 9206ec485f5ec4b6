import Foundation
import Logging

/// How to open the ledger: where, how many connections, how long to wait for locks, and the clock.
public struct LedgerConfiguration: Sendable {
    /// The database.
    public var url: DatabaseURL
    /// Connections for reads (SQLite) or in all (PostgreSQL, MySQL/MariaDB). SQLite always has one more,
    /// the only writer; MySQL/MariaDB opens one more while it migrates, for the migration lock.
    public var maximumConnections: Int
    /// How long a write waits for another writer's lock before failing (and being retried): SQLite's
    /// `busy_timeout`, MySQL/MariaDB's `innodb_lock_wait_timeout` (whole seconds).
    public var busyTimeout: Duration
    /// How long opening the database (connecting, migrating) may take before ``LedgerError/unavailable(_:)``.
    public var connectTimeout: Duration
    /// When a write transaction fails for a transient reason (lock timeout, deadlock, serialization
    /// failure), how many times it is tried in all.
    public var transactionAttempts: Int
    /// The source of `created_at` times (tests pass a fixed or stepping clock).
    public var clock: @Sendable () -> Date
    /// Where the ledger logs; SQL statements at `trace`.
    public var logger: Logger

    public init(
        url: DatabaseURL,
        maximumConnections: Int = 4,
        busyTimeout: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(15),
        transactionAttempts: Int = 5,
        clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "pagos.ledger")
    ) {
        self.url = url
        self.maximumConnections = maximumConnections
        self.busyTimeout = busyTimeout
        self.connectTimeout = connectTimeout
        self.transactionAttempts = transactionAttempts
        self.clock = clock
        self.logger = logger
    }
}
