import Foundation
import SQLKit

extension SQLLedgerStore {
    public func transactions(matching filter: TransactionFilter, limit: Int) async throws -> [LedgerTransaction] {
        let limit = Int64(Self.clamp(limit: limit))
        return try await read { session in
            try await session.raw(
                """
                SELECT \(LedgerRows.transactionColumns) FROM ledger_transactions
                WHERE \(Self.conditions(filter)) ORDER BY seq DESC LIMIT \(bind: limit)
                """
            ).all().map(LedgerRows.transaction)
        }
    }

    public func transactionPages(matching filter: TransactionFilter, pageSize: Int) -> TransactionPages {
        TransactionPages(pageSize: Self.clamp(limit: pageSize)) { [self] after, limit in
            try await read { session in
                try await session.raw(
                    """
                    SELECT \(LedgerRows.transactionColumns) FROM ledger_transactions
                    WHERE seq > \(bind: after) AND \(Self.conditions(filter)) ORDER BY seq LIMIT \(bind: Int64(limit))
                    """
                ).all().map(LedgerRows.transaction)
            }
        }
    }

    /// The WHERE conditions of a filter, joined by AND (`1 = 1` when it has none). Only the filter's set
    /// fields become conditions, so no bind is ever a typeless NULL (which PostgreSQL cannot type).
    static func conditions(_ filter: TransactionFilter) -> SQLQueryString {
        var parts: [SQLQueryString] = []
        if let userID = filter.userID {
            parts.append("(user_id = \(bind: userID) OR to_user_id = \(bind: userID))")
        }
        if let status = filter.status {
            parts.append("status = \(bind: status.rawValue)")
        }
        parts += timeConditions(from: filter.from, to: filter.to)
        return parts.isEmpty ? "1 = 1" : parts.joined(separator: " AND ")
    }

    /// `created_at` within `[from, to)`.
    static func timeConditions(from: Date?, to: Date?) -> [SQLQueryString] {
        var parts: [SQLQueryString] = []
        if let from {
            parts.append("created_at >= \(bind: LedgerTimestamp.milliseconds(from))")
        }
        if let to {
            parts.append("created_at < \(bind: LedgerTimestamp.milliseconds(to))")
        }
        return parts
    }
}
