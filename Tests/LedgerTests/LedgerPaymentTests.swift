import Foundation
import Ledger
import Testing

@Suite("Ledger payments")
struct LedgerPaymentTests {
    @Test(arguments: TestBackend.available)
    func aCompletedPaymentMovesMoneyAndRecordsEverything(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withLedger(backend, clock: clock) { store, _ in
            clock.set(LedgerTimestamp.date(milliseconds: 1_767_225_600_250))
            let outcome = try await store.applyPayment(
                PaymentRequest(
                    jobID: "job-1",
                    payerID: 1,
                    payeeID: 2,
                    amount: 1250,
                    description: "café",
                    authenticatedUserID: "1"
                )
            )
            #expect(!outcome.isDuplicate)
            let transaction = outcome.transaction
            #expect(transaction.id == "job-1")
            #expect(transaction.userID == 1)
            #expect(transaction.toUserID == 2)
            #expect(transaction.amount == 1250)
            #expect(transaction.status == .completed)
            #expect(transaction.reason == nil)
            #expect(transaction.description == "café")
            #expect(LedgerTimestamp.milliseconds(transaction.createdAt) == 1_767_225_600_250)
            #expect(try await store.transaction(id: "job-1") == transaction)
            #expect(try await store.user(id: 1)?.balance == 48_750)
            #expect(try await store.user(id: 2)?.balance == 71_250)

            let events = try await store.unpublishedEvents(limit: 10)
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event.event == "payment.completed")
            #expect(event.eventID == "job-1:payment.completed")
            #expect(event.transactionID == "job-1")
            #expect(event.publishedAt == nil)
            let payload = try JSONDecoder().decode(PaymentEvent.self, from: Data(event.payload.utf8))
            #expect(payload == PaymentEvent(for: transaction))
            #expect(payload.transaction.createdAt == "2026-01-01T00:00:00.250Z")
            #expect(try await store.totals().isConserved)
        }
    }

    @Test(arguments: TestBackend.available)
    func anExternalPaymentLeavesTheLedger(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            let outcome = try await store.applyPayment(PaymentRequest(jobID: "out-1", payerID: 2, amount: 70_000))
            #expect(outcome.transaction.status == .completed)
            #expect(outcome.transaction.toUserID == nil)
            #expect(try await store.user(id: 2)?.balance == 0)
            #expect(try await store.totals() == LedgerTotals(balances: 50_000, seeded: 120_000, deposited: 0, paidOut: 70_000))
            #expect(try await store.totals().isConserved)
        }
    }

    struct Rejection: Sendable, CustomTestStringConvertible {
        let name: String
        let request: PaymentRequest
        let reason: RejectionReason
        var testDescription: String { name }
    }

    static let rejections: [Rejection] = [
        Rejection(
            name: "insufficient funds",
            request: PaymentRequest(jobID: "r", payerID: 1, payeeID: 2, amount: 50_001),
            reason: .insufficientFunds
        ),
        Rejection(name: "unknown payer", request: PaymentRequest(jobID: "r", payerID: 77, amount: 100), reason: .unknownUser),
        Rejection(
            name: "unknown payee",
            request: PaymentRequest(jobID: "r", payerID: 1, payeeID: 77, amount: 100),
            reason: .unknownUser
        ),
        Rejection(
            name: "zero amount",
            request: PaymentRequest(jobID: "r", payerID: 1, payeeID: 2, amount: 0),
            reason: .invalidAmount
        ),
        Rejection(
            name: "negative amount",
            request: PaymentRequest(jobID: "r", payerID: 1, payeeID: 2, amount: -100),
            reason: .invalidAmount
        ),
        Rejection(
            name: "another user's account",
            request: PaymentRequest(jobID: "r", payerID: 1, payeeID: 2, amount: 100, authenticatedUserID: "2"),
            reason: .forbidden
        ),
        Rejection(
            name: "paying oneself",
            request: PaymentRequest(jobID: "r", payerID: 2, payeeID: 2, amount: 100),
            reason: .forbidden
        ),
    ]

    @Test(arguments: TestBackend.available, rejections)
    func aRejectedPaymentIsRecordedAndMovesNothing(backend: TestBackend, rejection: Rejection) async throws {
        try await withLedger(backend) { store, _ in
            let outcome = try await store.applyPayment(rejection.request)
            #expect(!outcome.isDuplicate)
            #expect(outcome.transaction.status == .rejected)
            #expect(outcome.transaction.reason == rejection.reason)
            #expect(outcome.transaction.userID == rejection.request.payerID)
            #expect(outcome.transaction.amount == rejection.request.amount)
            #expect(try await store.transaction(id: "r") == outcome.transaction)
            #expect(try await store.users(after: nil, limit: 10).map(\.balance) == [50_000, 70_000])
            let events = try await store.unpublishedEvents(limit: 10)
            #expect(events.map(\.event) == ["payment.rejected"])
            let payload = try JSONDecoder().decode(PaymentEvent.self, from: Data(try #require(events.first).payload.utf8))
            #expect(payload.transaction.reason == rejection.reason)
            #expect(try await store.totals() == LedgerTotals(balances: 120_000, seeded: 120_000, deposited: 0, paidOut: 0))
        }
    }

    @Test(arguments: TestBackend.available)
    func aDuplicateJobIDChangesNothing(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            let first = try await store.applyPayment(PaymentRequest(jobID: "dup", payerID: 1, payeeID: 2, amount: 1000))
            // The same job again, and a different job under the same id: both return the first outcome.
            for request in [
                PaymentRequest(jobID: "dup", payerID: 1, payeeID: 2, amount: 1000),
                PaymentRequest(jobID: "dup", payerID: 2, payeeID: 1, amount: 5),
                PaymentRequest(jobID: "dup", payerID: 99, amount: 5),
            ] {
                let again = try await store.applyPayment(request)
                #expect(again.isDuplicate)
                #expect(again.transaction == first.transaction)
            }
            // A rejected job stays rejected even when it would now succeed.
            let rejected = try await store.applyPayment(PaymentRequest(jobID: "poor", payerID: 1, amount: 60_000))
            #expect(rejected.transaction.reason == .insufficientFunds)
            _ = try await store.deposit(userID: 1, amount: 20_000)
            let retried = try await store.applyPayment(PaymentRequest(jobID: "poor", payerID: 1, amount: 60_000))
            #expect(retried.isDuplicate)
            #expect(retried.transaction.status == .rejected)

            #expect(try await store.users(after: nil, limit: 10).map(\.balance) == [69_000, 71_000])
            #expect(try await store.unpublishedEvents(limit: 10).map(\.transactionID) == ["dup", "poor"])
            #expect(try await store.totals().isConserved)
        }
    }

    @Test(arguments: TestBackend.available)
    func malformedJobIDsAreRefused(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            for jobID in ["", String(repeating: "j", count: LedgerLimits.maximumIDLength + 1)] {
                await #expect {
                    _ = try await store.applyPayment(PaymentRequest(jobID: jobID, payerID: 1, amount: 1))
                } throws: { error in
                    if case LedgerError.invalidArgument = error { true } else { false }
                }
            }
            let long = String(repeating: "d", count: 2000)
            let outcome = try await store.applyPayment(PaymentRequest(jobID: "long", payerID: 1, amount: 1, description: long))
            #expect(outcome.transaction.description?.count == LedgerLimits.maximumDescriptionLength)
        }
    }

    @Test(arguments: TestBackend.available)
    func transactionsAreQueriedByUserStatusAndLimit(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            let carla = try await store.createUser(NewUser(username: "carla", name: "Carla", passwordHash: "h"))
            _ = try await store.applyPayment(PaymentRequest(jobID: "t1", payerID: 1, payeeID: 2, amount: 100))
            _ = try await store.applyPayment(PaymentRequest(jobID: "t2", payerID: 2, payeeID: carla.id, amount: 200))
            _ = try await store.applyPayment(PaymentRequest(jobID: "t3", payerID: carla.id, amount: 10_000))  // rejected
            _ = try await store.applyPayment(PaymentRequest(jobID: "t4", payerID: 1, amount: 300))

            func ids(_ filter: TransactionFilter, limit: Int = 50) async throws -> [String] {
                try await store.transactions(matching: filter, limit: limit).map(\.id)
            }
            #expect(try await ids(TransactionFilter()) == ["t4", "t3", "t2", "t1"])
            #expect(try await ids(TransactionFilter(), limit: 2) == ["t4", "t3"])
            #expect(try await ids(TransactionFilter(userID: 2)) == ["t2", "t1"])
            #expect(try await ids(TransactionFilter(userID: carla.id)) == ["t3", "t2"])
            #expect(try await ids(TransactionFilter(status: .rejected)) == ["t3"])
            #expect(try await ids(TransactionFilter(userID: 1, status: .completed)) == ["t4", "t1"])
            #expect(try await ids(TransactionFilter(userID: 404)) == [])
            #expect(try await store.transaction(id: "missing") == nil)
        }
    }
}
