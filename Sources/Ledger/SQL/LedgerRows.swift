import Foundation
import SQLKit

/// Column lists and row decoding, so each table is read one way everywhere.
enum LedgerRows {
    static let userColumns: SQLQueryString = "id, username, name, balance, created_at"
    static let transactionColumns: SQLQueryString =
        "seq, id, user_id, to_user_id, amount, status, reason, description, created_at"
    static let outboxColumns: SQLQueryString =
        "id, event_id, event, transaction_id, payload, created_at, published_at"
    static let notificationColumns: SQLQueryString =
        "id, event_id, user_id, event, transaction_id, message, created_at"

    static func user(_ row: any SQLRow) throws -> LedgerUser {
        LedgerUser(
            id: try row.decode(column: "id", as: Int64.self),
            username: try row.decode(column: "username", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            balance: try row.decode(column: "balance", as: Int64.self),
            createdAt: LedgerTimestamp.date(milliseconds: try row.decode(column: "created_at", as: Int64.self))
        )
    }

    static func transaction(_ row: any SQLRow) throws -> LedgerTransaction {
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = TransactionStatus(rawValue: statusText) else {
            throw LedgerError.database("unknown transaction status \"\(statusText)\" in the ledger")
        }
        let reasonText = try row.optional(column: "reason", as: String.self)
        let reason = try reasonText.map { text in
            guard let reason = RejectionReason(rawValue: text) else {
                throw LedgerError.database("unknown rejection reason \"\(text)\" in the ledger")
            }
            return reason
        }
        return LedgerTransaction(
            id: try row.decode(column: "id", as: String.self),
            sequence: try row.decode(column: "seq", as: Int64.self),
            userID: try row.decode(column: "user_id", as: Int64.self),
            toUserID: try row.optional(column: "to_user_id", as: Int64.self),
            amount: try row.decode(column: "amount", as: Int64.self),
            status: status,
            reason: reason,
            description: try row.optional(column: "description", as: String.self),
            createdAt: LedgerTimestamp.date(milliseconds: try row.decode(column: "created_at", as: Int64.self))
        )
    }

    static func outboxEvent(_ row: any SQLRow) throws -> OutboxEvent {
        OutboxEvent(
            id: try row.decode(column: "id", as: Int64.self),
            eventID: try row.decode(column: "event_id", as: String.self),
            event: try row.decode(column: "event", as: String.self),
            transactionID: try row.decode(column: "transaction_id", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            createdAt: LedgerTimestamp.date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            publishedAt: try row.optional(column: "published_at", as: Int64.self).map(LedgerTimestamp.date(milliseconds:))
        )
    }

    static func notification(_ row: any SQLRow) throws -> LedgerNotification {
        LedgerNotification(
            id: try row.decode(column: "id", as: Int64.self),
            eventID: try row.decode(column: "event_id", as: String.self),
            userID: try row.decode(column: "user_id", as: Int64.self),
            event: try row.decode(column: "event", as: String.self),
            transactionID: try row.optional(column: "transaction_id", as: String.self),
            message: try row.decode(column: "message", as: String.self),
            createdAt: LedgerTimestamp.date(milliseconds: try row.decode(column: "created_at", as: Int64.self))
        )
    }
}

extension SQLRow {
    /// A nullable column: `nil` for SQL NULL.
    func optional<D: Decodable>(column: String, as type: D.Type) throws -> D? {
        try decodeNil(column: column) ? nil : try decode(column: column, as: type)
    }

    /// An integer column that may come back NULL (an aggregate over no rows) or as another integer width.
    func int64(column: String) throws -> Int64 {
        try optional(column: column, as: Int64.self) ?? 0
    }
}
