import Foundation
import Ledger
import Testing

@Suite("Ledger reports and export")
struct LedgerReportsTests {
    static func at(_ minute: Int64) -> Date {
        LedgerTimestamp.date(milliseconds: 1_767_225_600_000 + minute * 60_000)
    }

    @Test(arguments: TestBackend.available)
    func theSummarySumsPerUserWithinTheWindow(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withLedger(backend, clock: clock) { store, _ in
            let carla = try await store.createUser(NewUser(username: "carla", name: "Carla", passwordHash: "h"))
            let payments: [(Int64, PaymentRequest)] = [
                (1, PaymentRequest(jobID: "a", payerID: 1, payeeID: 2, amount: 1000)),
                (2, PaymentRequest(jobID: "b", payerID: 2, payeeID: carla.id, amount: 2500)),
                (3, PaymentRequest(jobID: "c", payerID: 1, amount: 300)),  // external
                (4, PaymentRequest(jobID: "d", payerID: carla.id, amount: 99_999)),  // rejected
                (10, PaymentRequest(jobID: "e", payerID: 1, payeeID: carla.id, amount: 700)),
            ]
            for (minute, request) in payments {
                clock.set(Self.at(minute))
                _ = try await store.applyPayment(request)
            }

            let all = try await store.summary(from: nil, to: nil)
            #expect(
                all.users == [
                    .init(userID: 1, paid: 2000, received: 0, count: 3, rejected: 0),
                    .init(userID: 2, paid: 2500, received: 1000, count: 1, rejected: 0),
                    .init(userID: carla.id, paid: 0, received: 3200, count: 0, rejected: 1),
                ]
            )
            #expect(all.totals == .init(paid: 4500, count: 4, rejected: 1))

            // [minute 2, minute 10): b, c, d.
            let window = try await store.summary(from: Self.at(2), to: Self.at(10))
            #expect(window.from == Self.at(2))
            #expect(
                window.users == [
                    .init(userID: 1, paid: 300, received: 0, count: 1, rejected: 0),
                    .init(userID: 2, paid: 2500, received: 0, count: 1, rejected: 0),
                    .init(userID: carla.id, paid: 0, received: 2500, count: 0, rejected: 1),
                ]
            )
            #expect(window.totals == .init(paid: 2800, count: 2, rejected: 1))

            let empty = try await store.summary(from: Self.at(100), to: nil)
            #expect(empty.users.isEmpty)
            #expect(empty.totals == .init())

            let filtered = try await store.transactions(matching: TransactionFilter(from: Self.at(3), to: Self.at(4)), limit: 10)
            #expect(filtered.map(\.id) == ["c"])
        }
    }

    /// Many rows read back page by page: every transaction exactly once, in ledger order, pages bounded.
    @Test(arguments: TestBackend.available)
    func theExportWalksEveryTransactionInPages(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            _ = try await store.deposit(userID: 1, amount: 10_000_000)
            let count = 640
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        _ = try await store.applyPayment(
                            PaymentRequest(
                                jobID: "x\(index)",
                                payerID: index % 3 == 0 ? 2 : 1,
                                payeeID: index % 5 == 0 ? nil : 2,
                                amount: 100 + Int64(index)
                            )
                        )
                    }
                    if index % 16 == 15 { try await group.next() }  // bounded fan-out
                }
                try await group.waitForAll()
            }

            var pages: [[LedgerTransaction]] = []
            for try await page in store.transactionPages(matching: TransactionFilter(), pageSize: 128) {
                pages.append(page)
            }
            #expect(pages.count == 5)
            #expect(pages.allSatisfy { $0.count == 128 })
            let exported = pages.flatMap { $0 }
            #expect(exported.count == count)
            #expect(Set(exported.map(\.id)).count == count)
            #expect(exported.map(\.sequence) == exported.map(\.sequence).sorted())

            // A filter and a page size that does not divide the rows.
            var rejected: [LedgerTransaction] = []
            for try await page in store.transactionPages(matching: TransactionFilter(status: .rejected), pageSize: 7) {
                #expect(page.count <= 7)
                rejected += page
            }
            let expectedRejected = exported.filter { $0.status == .rejected }
            #expect(rejected == expectedRejected)
            #expect(!rejected.isEmpty)  // user 2 paying user 2 is rejected (forbidden)
            #expect(try await store.totals().isConserved)
        }
    }
}
