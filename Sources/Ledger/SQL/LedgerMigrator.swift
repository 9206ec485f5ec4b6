import SQLKit

/// Brings the schema to ``LedgerSchema/latestVersion`` on start; safe to run from several processes at
/// once and any number of times.
///
/// 1. Bootstrap: `CREATE TABLE IF NOT EXISTS` the migrations table and insert its version-0 row, the
///    lock. Two processes racing here may collide (PostgreSQL reports a unique violation for concurrent
///    `CREATE TABLE IF NOT EXISTS`); the loser tries again and finds the table.
/// 2. For each migration, in order, one write transaction: lock row 0 (`UPDATE … WHERE version = 0`, a
///    row lock everywhere; SQLite's `BEGIN IMMEDIATE` already holds the database), read the applied
///    versions, and apply and record the migration unless it is there. A concurrent starter waits on the
///    lock, then finds it applied.
///
/// MySQL commits implicitly at each DDL statement (which also releases the row lock), so there all of
/// this runs inside the backend's migration lock (``LedgerDatabase/withMigrationLock(_:)``), and a
/// migration with DDL is not atomic: one interrupted half-way needs its tables dropped by hand.
struct LedgerMigrator {
    let store: SQLLedgerStore

    func migrate() async throws {
        let applied = try await store.database.withMigrationLock {
            try await bootstrap()
            var applied: [Int64] = []
            for migration in LedgerSchema.migrations {
                let done = try await store.write { session in
                    try await apply(migration, session)
                }
                if done { applied.append(migration.version) }
            }
            return applied
        }
        if !applied.isEmpty {
            store.logger.info("ledger schema migrated", metadata: ["versions": "\(applied)"])
        }
    }

    private func bootstrap() async throws {
        var attempt = 1
        while true {
            do {
                try await store.write { session in
                    try await session.raw(LedgerSchema.createMigrationsTable(store.dialect)).run()
                    let lock = try await session.raw(
                        "SELECT version FROM ledger_schema_migrations WHERE version = 0"
                    ).first()
                    if lock == nil {
                        try await session.raw(
                            """
                            INSERT INTO ledger_schema_migrations (version, name, applied_at)
                            VALUES (0, 'migration lock', \(bind: store.now))
                            """
                        ).run()
                    }
                }
                return
            } catch let error as LedgerError where attempt < 3 {
                // The other starter won the race; its table and row are there now.
                store.logger.debug("ledger schema bootstrap retried", metadata: ["error": "\(error)"])
                attempt += 1
            }
        }
    }

    /// Applies `migration` on a session inside a write transaction unless it is applied already;
    /// returns whether it applied it.
    private func apply(_ migration: LedgerSchema.Migration, _ session: any SQLDatabase) async throws -> Bool {
        try await session.raw("UPDATE ledger_schema_migrations SET applied_at = applied_at WHERE version = 0").run()
        let rows = try await session.raw("SELECT version FROM ledger_schema_migrations").all()
        let done = Set(try rows.map { try $0.decode(column: "version", as: Int64.self) })
        if let newest = done.max(), newest > LedgerSchema.latestVersion {
            throw LedgerError.schemaTooNew(found: newest, known: LedgerSchema.latestVersion)
        }
        guard !done.contains(migration.version) else { return false }
        let now = store.now
        for statement in migration.statements(store.dialect, now) {
            try await session.raw(statement).run()
        }
        try await session.raw(
            """
            INSERT INTO ledger_schema_migrations (version, name, applied_at)
            VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now))
            """
        ).run()
        return true
    }
}
