import Ledger
import Testing

@Suite("Ledger users and deposits")
struct LedgerUsersTests {
    @Test(arguments: TestBackend.available)
    func registersAndFindsUsers(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            let carla = try await store.createUser(NewUser(username: "carla", name: "Carla Pérez", passwordHash: "$argon2$abc"))
            #expect(carla.username == "carla")
            #expect(carla.name == "Carla Pérez")
            #expect(carla.balance == 0)
            #expect(try await store.user(id: carla.id) == carla)
            #expect(try await store.user(username: "carla") == carla)
            #expect(try await store.user(username: "Carla") == nil)  // usernames are case-sensitive
            #expect(try await store.user(id: 999) == nil)
            let credentials = try #require(try await store.credentials(username: "carla"))
            #expect(credentials.user == carla)
            #expect(credentials.passwordHash == "$argon2$abc")
            #expect(try await store.credentials(username: "nobody") == nil)
            #expect(try await store.users(after: 1, limit: 10).map(\.username) == ["ana", "carla"])
            #expect(try await store.users(after: nil, limit: 2).map(\.username) == ["willis", "ana"])
        }
    }

    @Test(arguments: TestBackend.available)
    func aTakenUsernameIsAConflict(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            await #expect(throws: LedgerError.usernameTaken("ana")) {
                _ = try await store.createUser(NewUser(username: "ana", name: "Other Ana", passwordHash: "h"))
            }
            // Many concurrent registrations of one name: exactly one wins.
            let results = await withTaskGroup(of: Result<LedgerUser, LedgerError>.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        do {
                            return .success(
                                try await store.createUser(NewUser(username: "eve", name: "Eve \(index)", passwordHash: "h"))
                            )
                        } catch let error as LedgerError {
                            return .failure(error)
                        } catch {
                            return .failure(.database("\(error)"))
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { if case .success = $0 { true } else { false } }.count == 1)
            #expect(results.filter { $0 == .failure(.usernameTaken("eve")) }.count == 11)
        }
    }

    @Test(arguments: TestBackend.available)
    func rejectsMalformedUsers(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            for user in [
                NewUser(username: "", name: "N", passwordHash: "h"),
                NewUser(username: "  ", name: "N", passwordHash: "h"),
                NewUser(username: String(repeating: "u", count: 65), name: "N", passwordHash: "h"),
                NewUser(username: "u", name: "", passwordHash: "h"),
                NewUser(username: "u", name: "N", passwordHash: ""),
            ] {
                await #expect {
                    _ = try await store.createUser(user)
                } throws: { error in
                    if case LedgerError.invalidArgument = error { true } else { false }
                }
            }
            let users = try await store.users(after: nil, limit: 10)
            #expect(users.count == 2)
        }
    }

    @Test(arguments: TestBackend.available)
    func depositsAddToTheBalance(backend: TestBackend) async throws {
        try await withLedger(backend) { store, _ in
            let willis = try await store.deposit(userID: 1, amount: 1250)
            #expect(willis.balance == 51_250)
            #expect(try await store.user(id: 1)?.balance == 51_250)
            await #expect(throws: LedgerError.unknownUser(42)) {
                _ = try await store.deposit(userID: 42, amount: 100)
            }
            for amount in [0, -1, LedgerLimits.maximumAmount + 1] {
                await #expect(throws: LedgerError.invalidAmount(amount)) {
                    _ = try await store.deposit(userID: 1, amount: amount)
                }
            }
            #expect(try await store.totals() == LedgerTotals(balances: 121_250, seeded: 120_000, deposited: 1250, paidOut: 0))
            #expect(try await store.totals().isConserved)
        }
    }
}
