import Foundation
import SQLKit

extension SQLLedgerStore {
    /// Two grouped queries in one snapshot: by payer (paid, completed and rejected counts) and by payee
    /// (received), merged by ``SummaryAccumulator``. Sums are cast to BIGINT: PostgreSQL's `SUM(bigint)`
    /// is `numeric`.
    public func summary(from: Date?, to: Date?) async throws -> ReportSummary {
        let window = Self.timeConditions(from: from, to: to)
        let range: SQLQueryString = window.isEmpty ? "1 = 1" : window.joined(separator: " AND ")
        let int = dialect.bigintCast
        return try await snapshot { session in
            var accumulator = SummaryAccumulator()
            let payers = try await session.raw(
                """
                SELECT user_id,
                    CAST(SUM(CASE WHEN status = 'completed' THEN amount ELSE 0 END) AS \(unsafeRaw: int)) AS paid,
                    CAST(SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS \(unsafeRaw: int)) AS completed,
                    CAST(SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END) AS \(unsafeRaw: int)) AS rejected
                FROM ledger_transactions WHERE \(range) GROUP BY user_id
                """
            ).all()
            for row in payers {
                accumulator.addPayer(
                    try row.decode(column: "user_id", as: Int64.self),
                    paid: try row.int64(column: "paid"),
                    completed: try row.int64(column: "completed"),
                    rejected: try row.int64(column: "rejected")
                )
            }
            let payees = try await session.raw(
                """
                SELECT to_user_id, CAST(SUM(amount) AS \(unsafeRaw: int)) AS received
                FROM ledger_transactions
                WHERE status = 'completed' AND to_user_id IS NOT NULL AND \(range) GROUP BY to_user_id
                """
            ).all()
            for row in payees {
                accumulator.addPayee(
                    try row.decode(column: "to_user_id", as: Int64.self),
                    received: try row.int64(column: "received")
                )
            }
            return accumulator.summary(from: from, to: to)
        }
    }

    public func totals() async throws -> LedgerTotals {
        let int = dialect.bigintCast
        return try await snapshot { session in
            let balances = try await session.raw(
                "SELECT CAST(COALESCE(SUM(balance), 0) AS \(unsafeRaw: int)) AS total FROM ledger_users"
            ).first()
            let deposits = try await session.raw(
                """
                SELECT CAST(COALESCE(SUM(CASE WHEN source = 'seed' THEN amount ELSE 0 END), 0) AS \(unsafeRaw: int)) AS seeded,
                    CAST(COALESCE(SUM(CASE WHEN source = 'deposit' THEN amount ELSE 0 END), 0) AS \(unsafeRaw: int)) AS deposited
                FROM ledger_deposits
                """
            ).first()
            let paidOut = try await session.raw(
                """
                SELECT CAST(COALESCE(SUM(amount), 0) AS \(unsafeRaw: int)) AS total FROM ledger_transactions
                WHERE status = 'completed' AND to_user_id IS NULL
                """
            ).first()
            return LedgerTotals(
                balances: try balances?.int64(column: "total") ?? 0,
                seeded: try deposits?.int64(column: "seeded") ?? 0,
                deposited: try deposits?.int64(column: "deposited") ?? 0,
                paidOut: try paidOut?.int64(column: "total") ?? 0
            )
        }
    }
}
