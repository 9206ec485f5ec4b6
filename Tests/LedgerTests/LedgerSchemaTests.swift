import Ledger
import Testing

@Suite("Ledger schema and seed data")
struct LedgerSchemaTests {
    @Test(arguments: TestBackend.available)
    func seedUsersAreThere(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            let users = try await store.users(after: nil, limit: 10)
            #expect(users.map(\.id) == [1, 2])
            #expect(users.map(\.username) == ["willis", "ana"])
            #expect(users.map(\.name) == ["Willis", "Ana"])
            #expect(users.map(\.balance) == [50_000, 70_000])
            #expect(try await store.credentials(username: "willis")?.passwordHash == nil)
            let totals = try await store.totals()
            #expect(totals == LedgerTotals(balances: 120_000, seeded: 120_000, deposited: 0, paidOut: 0))
            #expect(LedgerSeed.total == 120_000)
        }
    }

    @Test(arguments: TestBackend.available)
    func reopeningMigratesNothingAndSeedsOnce(backend: TestBackend) async throws {
        try await withDatabase(backend) { database in
            let first = try await SQLLedgerStore.open(database.configuration())
            let payment = try await first.applyPayment(
                PaymentRequest(jobID: "before-reopen", payerID: 1, payeeID: 2, amount: 500)
            )
            #expect(payment.transaction.status == .completed)
            let created = try await first.createUser(NewUser(username: "carla", name: "Carla", passwordHash: "h"))
            try await first.close()

            for _ in 0..<2 {
                let again = try await SQLLedgerStore.open(database.configuration())
                let users = try await again.users(after: nil, limit: 10)
                #expect(users.map(\.username) == ["willis", "ana", "carla"])
                #expect(users.map(\.balance) == [49_500, 70_500, 0])
                #expect(try await again.transaction(id: "before-reopen") == payment.transaction)
                #expect(try await again.totals().isConserved)
                try await again.close()
            }
            #expect(created.id == 3)
        }
    }

    @Test(arguments: TestBackend.available)
    func concurrentStartersMigrateOnce(backend: TestBackend) async throws {
        try await withDatabase(backend) { database in
            let stores = try await withThrowingTaskGroup(of: SQLLedgerStore.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await SQLLedgerStore.open(database.configuration()) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(stores.count == 4)
            for store in stores {
                #expect(try await store.users(after: nil, limit: 10).count == 2)
                #expect(try await store.totals() == LedgerTotals(balances: 120_000, seeded: 120_000, deposited: 0, paidOut: 0))
            }
            for store in stores { try await store.close() }
        }
    }

    @Test(arguments: TestBackend.available)
    func newUsersGetIDsAfterTheSeed(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            let carla = try await store.createUser(NewUser(username: "carla", name: "Carla", passwordHash: "x"))
            let dario = try await store.createUser(NewUser(username: "dario", name: "Darío", passwordHash: "y"))
            #expect(carla.id == 3)
            #expect(dario.id == 4)
        }
    }

    @Test(arguments: TestBackend.available)
    func closedStoreRefusesWork(backend: TestBackend) async throws {
        try await withDatabase(backend) { database in
            let store = try await SQLLedgerStore.open(database.configuration())
            try await store.close()
            await #expect(throws: (any Error).self) {
                _ = try await store.user(id: 1)
            }
        }
    }
}
