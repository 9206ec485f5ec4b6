import Ledger
import Testing

@Suite("Ledger outbox and notifications")
struct LedgerEventsTests {
    @Test(arguments: TestBackend.available)
    func theOutboxIsReadInOrderAndMarkedPublished(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            for index in 0..<5 {
                _ = try await store.applyPayment(PaymentRequest(jobID: "o\(index)", payerID: 1, payeeID: 2, amount: 100))
            }
            let all = try await store.unpublishedEvents(limit: 10)
            #expect(all.map(\.transactionID) == ["o0", "o1", "o2", "o3", "o4"])
            #expect(all.map(\.id) == all.map(\.id).sorted())
            #expect(try await store.unpublishedEvents(limit: 2).map(\.transactionID) == ["o0", "o1"])

            try await store.markPublished([all[0].id, all[1].id, all[1].id, 999_999])
            #expect(try await store.unpublishedEvents(limit: 10).map(\.transactionID) == ["o2", "o3", "o4"])
            try await store.markPublished([all[0].id])  // again: nothing changes
            try await store.markPublished([])
            try await store.markPublished(all.map(\.id))
            #expect(try await store.unpublishedEvents(limit: 10).isEmpty)
        }
    }

    @Test(arguments: TestBackend.available)
    func aNotificationIsStoredOncePerEvent(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            let new = NewNotification(
                eventID: "t1:payment.completed",
                userID: 1,
                event: "payment.completed",
                transactionID: "t1",
                message: "You paid 12.50"
            )
            let first = try await store.recordNotification(new)
            #expect(first.inserted)
            #expect(first.notification.eventID == new.eventID)
            #expect(first.notification.userID == 1)
            #expect(first.notification.transactionID == "t1")
            #expect(first.notification.message == "You paid 12.50")

            var redelivered = new
            redelivered.message = "a different text"
            let second = try await store.recordNotification(redelivered)
            #expect(!second.inserted)
            #expect(second.notification == first.notification)

            // The same new event from many consumers at once: one row.
            let racing = NewNotification(
                eventID: "t2:payment.rejected",
                userID: 1,
                event: "payment.rejected",
                transactionID: nil,
                message: "rejected"
            )
            let inserts = try await withThrowingTaskGroup(of: NotificationInsert.self) { group in
                for _ in 0..<10 { group.addTask { try await store.recordNotification(racing) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(inserts.filter(\.inserted).count == 1)
            #expect(Set(inserts.map(\.notification)).count == 1)

            _ = try await store.recordNotification(
                NewNotification(
                    eventID: "t3:payment.completed",
                    userID: 2,
                    event: "payment.completed",
                    transactionID: "t3",
                    message: "for Ana"
                )
            )
            let willis = try await store.notifications(userID: 1, limit: 10)
            #expect(willis.map(\.eventID) == ["t2:payment.rejected", "t1:payment.completed"])
            #expect(try await store.notifications(userID: 1, limit: 1).map(\.eventID) == ["t2:payment.rejected"])
            #expect(try await store.notifications(userID: 2, limit: 10).map(\.message) == ["for Ana"])
            #expect(try await store.notifications(userID: 3, limit: 10).isEmpty)
        }
    }
}
