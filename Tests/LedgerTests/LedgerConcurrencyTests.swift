import Ledger
import Testing

@Suite("Ledger under concurrency")
struct LedgerConcurrencyTests {
    /// 50 concurrent jobs of 20.00 from a 500.00 balance: exactly 25 complete, the balance ends at 0, and
    /// the same jobs redelivered concurrently change nothing.
    @Test(arguments: TestBackend.available)
    func concurrentPaymentsNeverOverdraw(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            let payer = try await store.createUser(NewUser(username: "payer", name: "Payer", passwordHash: "h"))
            _ = try await store.deposit(userID: payer.id, amount: 50_000)

            func run(_ jobs: Range<Int>) async throws -> [PaymentOutcome] {
                try await withThrowingTaskGroup(of: PaymentOutcome.self) { group in
                    for index in jobs {
                        group.addTask {
                            try await store.applyPayment(
                                PaymentRequest(
                                    jobID: "job-\(index % 50)",
                                    payerID: payer.id,
                                    payeeID: index % 2 == 0 ? 2 : nil,
                                    amount: 2000,
                                    authenticatedUserID: "\(payer.id)"
                                )
                            )
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }

            let outcomes = try await run(0..<50)
            #expect(outcomes.allSatisfy { !$0.isDuplicate })
            #expect(outcomes.filter { $0.transaction.status == .completed }.count == 25)
            #expect(outcomes.filter { $0.transaction.reason == .insufficientFunds }.count == 25)
            #expect(try await store.user(id: payer.id)?.balance == 0)
            let totals = try await store.totals()
            #expect(totals.isConserved)

            // Every job again, twice, all at once: nothing changes.
            let redelivered = try await run(50..<150)
            #expect(redelivered.allSatisfy { $0.isDuplicate })
            let first = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.transaction.id, $0.transaction) })
            #expect(redelivered.allSatisfy { first[$0.transaction.id] == $0.transaction })
            #expect(try await store.user(id: payer.id)?.balance == 0)
            #expect(try await store.totals() == totals)

            // The outbox holds exactly one event per recorded job, written with it.
            let events = try await store.unpublishedEvents(limit: 1000)
            #expect(events.count == 50)
            #expect(Set(events.map(\.transactionID)) == Set(first.keys))
            for event in events {
                let status = try #require(first[event.transactionID]).status
                #expect(event.event == PaymentEvent.name(for: status))
            }
        }
    }

    /// Payments crossing between two accounts in both directions at once: no deadlock, money conserved.
    @Test(arguments: TestBackend.available)
    func crossingPaymentsDoNotDeadlock(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let forward = index % 2 == 0
                        _ = try await store.applyPayment(
                            PaymentRequest(
                                jobID: "cross-\(index)",
                                payerID: forward ? 1 : 2,
                                payeeID: forward ? 2 : 1,
                                amount: 100
                            )
                        )
                    }
                    group.addTask {
                        _ = try await store.deposit(userID: index % 2 == 0 ? 1 : 2, amount: 10)
                    }
                }
                try await group.waitForAll()
            }
            let users = try await store.users(after: nil, limit: 10)
            #expect(users.map(\.balance) == [50_200, 70_200])
            #expect(try await store.totals().isConserved)
            #expect(try await store.transactions(matching: TransactionFilter(status: .completed), limit: 100).count == 40)
        }
    }

    /// Two stores on one database (as two services share it), paying from one account at once.
    @Test(arguments: TestBackend.available)
    func twoProcessesShareTheLedger(backend: TestBackend) async throws {
        try await withDatabase(backend) { database in
            let first = try await SQLLedgerStore.open(database.configuration())
            let second = try await SQLLedgerStore.open(database.configuration())
            let outcomes = try await withThrowingTaskGroup(of: PaymentOutcome.self) { group in
                for index in 0..<30 {
                    let store = index % 2 == 0 ? first : second
                    group.addTask {
                        try await store.applyPayment(PaymentRequest(jobID: "shared-\(index)", payerID: 1, amount: 2500))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0.transaction.status == .completed }.count == 20)
            #expect(try await first.user(id: 1)?.balance == 0)
            #expect(try await second.totals().isConserved)
            try await first.close()
            try await second.close()
        }
    }
}
