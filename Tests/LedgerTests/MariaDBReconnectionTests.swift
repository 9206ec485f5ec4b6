import Foundation
import Ledger
import ProcessTestSupport
import Synchronization
import Testing

/// The ledger on MariaDB carries on after the server restarts: connections lost with it are dropped and
/// new ones opened. Restarts the shared test server (scripts/test-mariadb.sh restart), so scripts/test.sh
/// runs this suite on its own, after the others (its name holds "Reconnection").
@Suite(
    "MariaDB Reconnection",
    .serialized,
    .enabled(
        if: TestBackend.mysqlRequired || MariaDBServer.directory != nil,
        "PAGOS_TEST_MYSQL_DIR is unset: run under scripts/test-mariadb.sh run"
    )
)
struct MariaDBReconnectionTests {
    /// Payments keep coming (as the worker's would, each retried until the ledger takes it) while the
    /// server restarts: calls fail while it is down, then succeed again on new connections; every job is
    /// applied exactly once and no money is created or lost.
    @Test func paymentsCarryOnAfterTheServerRestarts() async throws {
        let directory = try #require(MariaDBServer.directory, "PAGOS_TEST_MYSQL_DIR is not set")
        try await withLedger(.mysql) { store, _ in
            let payer = try await store.createUser(NewUser(username: "payer", name: "Payer", passwordHash: "h"))
            _ = try await store.deposit(userID: payer.id, amount: 1_000_000)
            // Warm the pool: several connections exist (and will all be dead after the restart).
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        _ = try await store.applyPayment(
                            PaymentRequest(jobID: "warm-\(index)", payerID: payer.id, payeeID: 2, amount: 100)
                        )
                    }
                }
                try await group.waitForAll()
            }

            let progress = ReconnectionProgress()
            let jobs = 4
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<jobs {
                    group.addTask {
                        var index = 0
                        // Each worker pays until 5 of its payments succeeded after the restart.
                        while progress.afterRestart.load(ordering: .relaxed) < jobs * 5 {
                            let request = PaymentRequest(
                                jobID: "live-\(worker)-\(index)",
                                payerID: payer.id,
                                payeeID: 2,
                                amount: 10
                            )
                            do {
                                _ = try await store.applyPayment(request)
                                if progress.restarted.load(ordering: .relaxed) {
                                    progress.afterRestart.add(1, ordering: .relaxed)
                                }
                                index += 1
                            } catch is LedgerError {
                                // The server is down or the connection broke: retry the same job, as the worker does.
                                progress.failures.add(1, ordering: .relaxed)
                                try await Task.sleep(for: .milliseconds(50))
                            }
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(300))
                    try await MariaDBServer.restart(directory)
                    progress.restarted.store(true, ordering: .relaxed)
                }
                try await group.waitForAll()
            }
            #expect(progress.afterRestart.load(ordering: .relaxed) >= jobs * 5)
            // The outage was seen (calls failed while the server was down), so the recovery was real.
            #expect(progress.failures.load(ordering: .relaxed) > 0)

            // Every job is recorded once; the payer's balance is what the completed jobs say.
            let completed = try await store.transactions(
                matching: TransactionFilter(userID: payer.id, status: .completed),
                limit: LedgerLimits.maximumPageSize
            )
            #expect(Set(completed.map(\.id)).count == completed.count)
            let spent = completed.reduce(0) { $0 + $1.amount }
            #expect(try await store.user(id: payer.id)?.balance == 1_000_000 - spent)
            #expect(try await store.totals().isConserved)
            // After the restart, idle connections were replaced before use: a single call succeeds.
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await store.user(id: payer.id) != nil)
        }
    }

    /// A store opened while the server is down reports it; once the server is back, a new store works.
    @Test func anIdleStoreWorksAgainAfterARestartWithoutAFailedCall() async throws {
        let directory = try #require(MariaDBServer.directory, "PAGOS_TEST_MYSQL_DIR is not set")
        try await withLedger(.mysql) { store, _ in
            let before = try await store.applyPayment(PaymentRequest(jobID: "before", payerID: 1, payeeID: 2, amount: 500))
            #expect(before.transaction.status == .completed)
            try await MariaDBServer.restart(directory)
            // No call fails: the idle connection is pinged, found dead and replaced before use.
            let after = try await store.applyPayment(PaymentRequest(jobID: "after", payerID: 1, payeeID: 2, amount: 500))
            #expect(after.transaction.status == .completed)
            #expect(try await store.transaction(id: "before") == before.transaction)
            #expect(try await store.user(id: 1)?.balance == 49_000)
            #expect(try await store.totals().isConserved)
        }
    }
}

/// What the paying workers of the reconnection test saw.
final class ReconnectionProgress: Sendable {
    let failures = Atomic<Int>(0)
    let restarted = Atomic<Bool>(false)
    let afterRestart = Atomic<Int>(0)
}

/// The test server scripts/test-mariadb.sh started.
enum MariaDBServer {
    static var directory: String? {
        ProcessInfo.processInfo.environment["PAGOS_TEST_MYSQL_DIR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/test-mariadb.sh")
    }

    /// Stops the server by PID and starts it again on the same data, port and socket.
    static func restart(_ directory: String) async throws {
        let (status, output) = try await ChildProcess.run(script.path, ["restart", directory])
        guard status == 0 else { throw TestSetupError("scripts/test-mariadb.sh restart exited with \(status): \(output)") }
    }
}
