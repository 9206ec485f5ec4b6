import SQLKit

/// The ledger's schema, in one place: every table, index and constraint, as versioned migrations applied
/// in order on start (``LedgerMigrator``). A migration is never edited once released; changes are new
/// versions. Dialect differences come from ``LedgerDialect`` only.
///
/// Tables (all money in cents, all times in milliseconds since 1970, BIGINT):
/// - `ledger_schema_migrations(version, name, applied_at)`: applied versions; row 0 is the migration lock.
/// - `ledger_users(id, username UNIQUE, name, password_hash NULL, balance CHECK ≥ 0, created_at)`.
/// - `ledger_deposits(id, user_id → users, amount CHECK > 0, source 'seed'|'deposit', created_at)`: every
///   credit from outside the ledger, the seed balances included (conservation of money).
/// - `ledger_transactions(seq, id UNIQUE, user_id, to_user_id NULL, amount, status, reason NULL,
///   description NULL, created_at)`: one row per payment job, `id` = the job id. No foreign keys to users:
///   a job rejected as `unknown_user` is recorded with the id it named.
/// - `ledger_outbox(id, event_id UNIQUE, event, transaction_id, payload, created_at, published_at NULL)`.
/// - `ledger_notifications(id, event_id UNIQUE, user_id, event, transaction_id NULL, message, created_at)`.
enum LedgerSchema {
    /// The bookkeeping table, created (if missing) before any migration runs.
    static let migrationsTable = "ledger_schema_migrations"

    static func createMigrationsTable(_ dialect: LedgerDialect) -> SQLQueryString {
        """
        CREATE TABLE IF NOT EXISTS ledger_schema_migrations (
            version BIGINT NOT NULL PRIMARY KEY,
            name VARCHAR(100) NOT NULL,
            applied_at BIGINT NOT NULL
        )\(unsafeRaw: dialect.tableOptions)
        """
    }

    /// One schema change.
    struct Migration: Sendable {
        let version: Int64
        let name: String
        /// The statements, given the dialect and the current time (milliseconds).
        let statements: @Sendable (LedgerDialect, Int64) -> [SQLQueryString]
    }

    /// Every migration, in version order.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "ledger tables", statements: { dialect, _ in tables(dialect) }),
        Migration(version: 2, name: "seed users", statements: { dialect, now in LedgerSeed.statements(dialect, now: now) }),
    ]

    /// The latest version this program knows.
    static var latestVersion: Int64 { migrations.last?.version ?? 0 }

    private static func tables(_ d: LedgerDialect) -> [SQLQueryString] {
        let options = d.tableOptions
        return [
            """
            CREATE TABLE ledger_users (
                \(unsafeRaw: d.autoIncrementPrimaryKey("id")),
                username VARCHAR(64) NOT NULL,
                name VARCHAR(200) NOT NULL,
                password_hash VARCHAR(512),
                balance BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                CONSTRAINT ledger_users_username_key UNIQUE (username),
                CONSTRAINT ledger_users_balance_check CHECK (balance >= 0)
            )\(unsafeRaw: options)
            """,
            """
            CREATE TABLE ledger_deposits (
                \(unsafeRaw: d.autoIncrementPrimaryKey("id")),
                user_id BIGINT NOT NULL,
                amount BIGINT NOT NULL,
                source VARCHAR(16) NOT NULL,
                created_at BIGINT NOT NULL,
                CONSTRAINT ledger_deposits_user_fk FOREIGN KEY (user_id) REFERENCES ledger_users (id),
                CONSTRAINT ledger_deposits_amount_check CHECK (amount > 0)
            )\(unsafeRaw: options)
            """,
            "CREATE INDEX ledger_deposits_user_idx ON ledger_deposits (user_id)",
            """
            CREATE TABLE ledger_transactions (
                \(unsafeRaw: d.autoIncrementPrimaryKey("seq")),
                id VARCHAR(200) NOT NULL,
                user_id BIGINT NOT NULL,
                to_user_id BIGINT,
                amount BIGINT NOT NULL,
                status VARCHAR(16) NOT NULL,
                reason VARCHAR(32),
                description VARCHAR(500),
                created_at BIGINT NOT NULL,
                CONSTRAINT ledger_transactions_id_key UNIQUE (id),
                CONSTRAINT ledger_transactions_status_check CHECK (status IN ('completed', 'rejected'))
            )\(unsafeRaw: options)
            """,
            "CREATE INDEX ledger_transactions_user_idx ON ledger_transactions (user_id, seq)",
            "CREATE INDEX ledger_transactions_payee_idx ON ledger_transactions (to_user_id, seq)",
            "CREATE INDEX ledger_transactions_created_idx ON ledger_transactions (created_at)",
            """
            CREATE TABLE ledger_outbox (
                \(unsafeRaw: d.autoIncrementPrimaryKey("id")),
                event_id VARCHAR(250) NOT NULL,
                event VARCHAR(64) NOT NULL,
                transaction_id VARCHAR(200) NOT NULL,
                payload TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                published_at BIGINT,
                CONSTRAINT ledger_outbox_event_key UNIQUE (event_id)
            )\(unsafeRaw: options)
            """,
            "CREATE INDEX ledger_outbox_unpublished_idx ON ledger_outbox (published_at, id)",
            """
            CREATE TABLE ledger_notifications (
                \(unsafeRaw: d.autoIncrementPrimaryKey("id")),
                event_id VARCHAR(250) NOT NULL,
                user_id BIGINT NOT NULL,
                event VARCHAR(64) NOT NULL,
                transaction_id VARCHAR(200),
                message TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                CONSTRAINT ledger_notifications_event_key UNIQUE (event_id)
            )\(unsafeRaw: options)
            """,
            "CREATE INDEX ledger_notifications_user_idx ON ledger_notifications (user_id, id)",
        ]
    }
}
