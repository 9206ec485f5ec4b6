import SQLKit

extension SQLLedgerStore {
    public func unpublishedEvents(limit: Int) async throws -> [OutboxEvent] {
        let limit = Int64(Self.clamp(limit: limit))
        return try await read { session in
            try await session.raw(
                """
                SELECT \(LedgerRows.outboxColumns) FROM ledger_outbox
                WHERE published_at IS NULL ORDER BY id LIMIT \(bind: limit)
                """
            ).all().map(LedgerRows.outboxEvent)
        }
    }

    public func markPublished(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        let now = self.now
        let unique = Array(Set(ids)).sorted()
        try await write { session in
            // In chunks: every backend limits the number of binds in one statement.
            for start in stride(from: 0, to: unique.count, by: 500) {
                let chunk = Array(unique[start..<min(start + 500, unique.count)])
                try await session.raw(
                    """
                    UPDATE ledger_outbox SET published_at = \(bind: now)
                    WHERE id IN (\(binds: chunk)) AND published_at IS NULL
                    """
                ).run()
            }
        }
    }

    public func recordNotification(_ notification: NewNotification) async throws -> NotificationInsert {
        try Self.validate(id: notification.eventID, what: "event id")
        if let transactionID = notification.transactionID {
            try Self.validate(id: transactionID, what: "transaction id")
        }
        let now = self.now
        return try await write(
            { session in
                if let stored = try await Self.notificationRow(eventID: notification.eventID, on: session) {
                    return NotificationInsert(notification: try LedgerRows.notification(stored), inserted: false)
                }
                try await session.raw(
                    """
                    INSERT INTO ledger_notifications (event_id, user_id, event, transaction_id, message, created_at)
                    VALUES (\(bind: notification.eventID), \(bind: notification.userID), \(bind: notification.event), \
                    \(bind: notification.transactionID), \(bind: notification.message), \(bind: now))
                    """
                ).run()
                guard let row = try await Self.notificationRow(eventID: notification.eventID, on: session) else {
                    throw LedgerError.database("the notification for \(notification.eventID) cannot be read back")
                }
                return NotificationInsert(notification: try LedgerRows.notification(row), inserted: true)
            },
            onUniqueViolation: {
                // A concurrent consumer stored the same event first.
                let stored = try await self.read { session in
                    try await Self.notificationRow(eventID: notification.eventID, on: session)
                        .map(LedgerRows.notification)
                }
                guard let stored else {
                    throw LedgerError.database("notification \(notification.eventID) hit a unique key but is not stored")
                }
                return NotificationInsert(notification: stored, inserted: false)
            }
        )
    }

    public func notifications(userID: Int64, limit: Int) async throws -> [LedgerNotification] {
        let limit = Int64(Self.clamp(limit: limit))
        return try await read { session in
            try await session.raw(
                """
                SELECT \(LedgerRows.notificationColumns) FROM ledger_notifications
                WHERE user_id = \(bind: userID) ORDER BY id DESC LIMIT \(bind: limit)
                """
            ).all().map(LedgerRows.notification)
        }
    }

    static func notificationRow(eventID: String, on session: any SQLDatabase) async throws -> (any SQLRow)? {
        try await session.raw(
            "SELECT \(LedgerRows.notificationColumns) FROM ledger_notifications WHERE event_id = \(bind: eventID)"
        ).first()
    }
}
