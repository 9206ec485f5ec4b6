import SQLKit

/// Brings the schema to ``LedgerSchema/latestVersion`` on start; safe to run from several processes at
/// once and any number of times.
///
/// 1. Bootstrap: `CREATE TABLE IF NOT EXISTS` the migrations table and insert its version-0 row, the
///    lock. Two processes racing here may collide (PostgreSQL reports a unique violation for concurrent
///    `CREATE TABLE IF NOT EXISTS`); the loser tries again and finds the table.
/// 2. In one write transaction: lock row 0 (`UPDATE … WHERE version = 0`, a row lock everywhere; SQLite's
///    `BEGIN IMMEDIATE` already holds the database), read the applied versions, apply the missing
///    migrations in order and record each. A concurrent starter waits on the lock, then finds them applied.
struct LedgerMigrator {
    let store: SQLLedgerStore

    func migrate() async throws {
        try await bootstrap()
        let applied = try await store.write { session in
            try await migrate(session)
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

    /// Applies the missing migrations on a session inside the write transaction; returns their versions.
    private func migrate(_ session: any SQLDatabase) async throws -> [Int64] {
        try await session.raw("UPDATE ledger_schema_migrations SET applied_at = applied_at WHERE version = 0").run()
        let rows = try await session.raw("SELECT version FROM ledger_schema_migrations").all()
        let done = Set(try rows.map { try $0.decode(column: "version", as: Int64.self) })
        if let newest = done.max(), newest > LedgerSchema.latestVersion {
            throw LedgerError.schemaTooNew(found: newest, known: LedgerSchema.latestVersion)
        }
        var applied: [Int64] = []
        let now = store.now
        for migration in LedgerSchema.migrations where !done.contains(migration.version) {
            for statement in migration.statements(store.dialect, now) {
                try await session.raw(statement).run()
            }
            try await session.raw(
                """
                INSERT INTO ledger_schema_migrations (version, name, applied_at)
                VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now))
                """
            ).run()
            applied.append(migration.version)
        }
        return applied
    }
}
