import AMQPTestSupport
import Foundation
import Synchronization
import Testing

/// GestorPagos end to end through the gateway, as the README's walkthrough does it, and a chaos run:
/// concurrent payments with repeated idempotency keys while the payments worker is killed. Each runs on
/// a SQLite ledger, and on MariaDB too when the test scripts started a server.
@Suite(
    .serialized,
    .enabled(if: TestBroker.isAvailable, "PASARELA_TEST_AMQP_URL is unset: run under scripts/test-rabbitmq.sh run")
)
struct PagosEndToEndTests {
    /// Starts a system, runs `body`, and stops every process it started, also when `body` throws.
    static func withSystem(
        ledger: LedgerBackend,
        _ body: (PagosSystem) async throws -> Void
    ) async throws {
        let system = try PagosSystem(database: ledger)
        do {
            try await system.start()
            try await body(system)
        } catch {
            await system.stop()
            throw error
        }
        await system.stop()
    }

    /// Registers, logs in and deposits; returns (id, token).
    static func newUser(_ system: PagosSystem, _ name: String, deposit: Int64) async throws -> (Int64, String) {
        let username = "\(name)\(UUID().uuidString.prefix(6).lowercased())"
        let registered = try await HTTP.call(
            "POST",
            "\(system.proxy)/users",
            json: ["username": username, "password": "correct horse", "name": name]
        )
        #expect(registered.status == 201, "\(registered.text)")
        let id = try #require(int64(try registered.json()["id"]))
        #expect(int64(try registered.json()["balance"]) == 0)
        let login = try await HTTP.call(
            "POST",
            "\(system.proxy)/users/login",
            json: ["username": username, "password": "correct horse"]
        )
        #expect(login.status == 200, "\(login.text)")
        let token = try #require(try login.json()["access_token"] as? String)
        #expect(try login.json()["token_type"] as? String == "Bearer")
        if deposit > 0 {
            let deposited = try await HTTP.call(
                "POST",
                "\(system.proxy)/users/\(id)/deposit",
                headers: ["Authorization": "Bearer \(token)"],
                json: ["amount": deposit]
            )
            #expect(deposited.status == 200, "\(deposited.text)")
            #expect(int64(try deposited.json()["balance"]) == deposit)
        }
        return (id, token)
    }

    /// Waits until the transaction of `jobID` is recorded and returns it.
    static func transaction(_ system: PagosSystem, _ jobID: String, token: String, timeout: Duration = .seconds(30)) async throws
        -> [String: Any]?
    {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let response = try await HTTP.call(
                "GET",
                "\(system.proxy)/transactions/\(jobID)",
                headers: ["Authorization": "Bearer \(token)"]
            )
            if response.status == 200 { return try response.json() }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    static func pay(_ system: PagosSystem, from id: Int64, token: String, json: [String: Any], key: String? = nil) async throws
        -> HTTP.Response
    {
        var headers = ["Authorization": "Bearer \(token)"]
        if let key { headers["Idempotency-Key"] = key }
        return try await HTTP.call("POST", "\(system.proxy)/users/\(id)/pay", headers: headers, json: json)
    }

    @Test(arguments: LedgerBackend.available)
    func walkthrough(ledger: LedgerBackend) async throws {
        try await Self.withSystem(ledger: ledger) { system in
            do {
                let (alice, token) = try await Self.newUser(system, "alice", deposit: 10_000)
                let auth = ["Authorization": "Bearer \(token)"]

                // Pay Willis 25.00: accepted once the broker holds the job, then completed by the worker.
                let accepted = try await Self.pay(
                    system,
                    from: alice,
                    token: token,
                    json: ["amount": 2500, "to_user_id": 1],
                    key: "walk-1"
                )
                #expect(accepted.status == 202, "\(accepted.text)")
                let jobID = try #require(try accepted.json()["job_id"] as? String)
                let replay = try await Self.pay(
                    system,
                    from: alice,
                    token: token,
                    json: ["amount": 2500, "to_user_id": 1],
                    key: "walk-1"
                )
                #expect(replay.header("Idempotent-Replayed") == "true")
                #expect(try replay.json()["job_id"] as? String == jobID)
                let done = try #require(await Self.transaction(system, jobID, token: token))
                #expect(done["status"] as? String == "completed")
                #expect(int64(done["amount"]) == 2500)
                #expect(int64(done["user_id"]) == alice)
                #expect(int64(done["to_user_id"]) == 1)
                let me = try await HTTP.call("GET", "\(system.proxy)/users/\(alice)", headers: auth)
                #expect(int64(try me.json()["balance"]) == 7500)

                // The seed system's API still answers in major units.
                let willis = try await HTTP.call("GET", "\(system.proxy)/usuarios/1")
                #expect(willis.status == 200)
                #expect(try willis.json()["nombre"] as? String == "Willis")
                #expect((try willis.json()["saldo"] as? NSNumber)?.doubleValue == 525)

                // Overdraft and paying from someone else's account are recorded as rejected.
                let overdraft = try await Self.pay(system, from: alice, token: token, json: ["amount": 1_000_000])
                let overdraftJob = try #require(try overdraft.json()["job_id"] as? String)
                let rejected = try #require(await Self.transaction(system, overdraftJob, token: token))
                #expect(rejected["status"] as? String == "rejected")
                #expect(rejected["reason"] as? String == "insufficient_funds")
                let theft = try await Self.pay(system, from: 1, token: token, json: ["amount": 100, "to_user_id": alice])
                let theftJob = try #require(try theft.json()["job_id"] as? String)
                #expect(try #require(await Self.transaction(system, theftJob, token: token))["reason"] as? String == "forbidden")

                // The demo's prometheus plugin counted them, by source and consumer (admin API).
                let metrics = try await HTTP.call("GET", "\(system.admin)/metrics").text
                let legacySeries = #"kong_http_requests_total{service="users",route="usuarios-legacy",code="200",source="service",workspace="default",consumer=""}"#
                let paySeries = #"kong_http_requests_total{service="payment-jobs",route="pay",code="202",source="service",workspace="default",consumer="gestorpagos-app"}"#
                for series in [legacySeries, paySeries] {
                    let line = metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }
                    #expect((line.flatMap { Double($0.dropFirst(series.count + 1)) } ?? 0) >= 1, "\(series) in:\n\(metrics)")
                }

                let status = try await HTTP.call("GET", "\(system.proxy)/pagos/status", headers: auth)
                #expect(try status.json()["status"] as? String == "ok")
                #expect(try status.json()["broker"] as? String == "connected")
                #expect((int64(try status.json()["processed"]) ?? 0) >= 3)
                #expect(int64(try status.json()["queue_depth"]) != nil)

                // The notification and the report.
                var notified = false
                for _ in 0..<100 where !notified {
                    let list = try await HTTP.call("GET", "\(system.proxy)/notifications?user_id=\(alice)", headers: auth)
                    let items = (try list.json()["notifications"] as? [[String: Any]]) ?? []
                    notified = items.contains {
                        $0["transaction_id"] as? String == jobID && $0["event"] as? String == "payment.completed"
                    }
                    if !notified { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(notified)
                let summary = try await HTTP.call("GET", "\(system.proxy)/reports/summary", headers: auth)
                let lines = (try summary.json()["users"] as? [[String: Any]]) ?? []
                let line = try #require(lines.first { int64($0["user_id"]) == alice })
                #expect(int64(line["paid"]) == 2500)
                #expect(int64(line["rejected"]) == 1)  // the overdraft; the forbidden one was from Willis's account
                let willisLine = try #require(lines.first { int64($0["user_id"]) == 1 })
                #expect(int64(willisLine["received"]) == 2500)
                #expect(int64(willisLine["rejected"]) == 1)
                let csv = try await HTTP.call("GET", "\(system.proxy)/reports/transactions?format=csv", headers: auth)
                #expect(csv.text.hasPrefix("id,user_id,to_user_id,amount,status,reason,created_at\n"))
                #expect(csv.text.contains(jobID))

                // No token, no access; the legacy payment needs the API key.
                #expect(try await HTTP.call("GET", "\(system.proxy)/transactions/\(jobID)").status == 401)
                #expect(try await HTTP.call("POST", "\(system.proxy)/usuarios/1/pagar").status == 401)
                let legacy = try await HTTP.call(
                    "POST",
                    "\(system.proxy)/usuarios/1/pagar",
                    headers: ["apikey": system.legacyKey],
                    json: ["monto": 5]
                )
                #expect(legacy.status == 200, "\(legacy.text)")
                #expect(try legacy.json()["mensaje"] as? String == "Solicitud de pago enviada")
            } catch {
                Issue.record("\(error)\n\(system.logs())")
            }
        }
    }

    /// What the chaos run's clients were told.
    final class Tally: Sendable {
        /// Idempotency key → job id.
        let accepted = Mutex<[String: String]>([:])
        let conflicts = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
    }

    /// 200 concurrent payments, each idempotency key sent twice, the payments worker killed with
    /// SIGKILL halfway and started again: every accepted job ends completed or rejected exactly once,
    /// repeats never run twice, and no money is created or lost.
    @Test(arguments: LedgerBackend.available)
    func chaosConservesMoneyAndAppliesEachJobOnce(ledger: LedgerBackend) async throws {
        try await Self.withSystem(ledger: ledger) { system in
            var registered: [(id: Int64, token: String)] = []
            for index in 0..<4 { registered.append(try await Self.newUser(system, "chaos\(index)", deposit: 20_000)) }
            let users = registered

            let tally = Tally()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    let payer = users[(index / 2) % users.count]
                    let payee = users[(index / 2 + 1) % users.count]
                    let key = "chaos-\(index / 2)"
                    let amount = 500 + (index / 2) * 37 % 4000
                    group.addTask {
                        let response = try await Self.pay(
                            system,
                            from: payer.id,
                            token: payer.token,
                            json: ["amount": amount, "to_user_id": payee.id],
                            key: key
                        )
                        switch response.status {
                        case 202:
                            let id = try response.json()["job_id"] as? String ?? ""
                            let earlier = tally.accepted.withLock { seen -> String? in
                                if let earlier = seen[key] { return earlier }
                                seen[key] = id
                                return nil
                            }
                            if let earlier, earlier != id { tally.failures.withLock { $0.append("key \(key) got two job ids") } }
                        case 409:
                            tally.conflicts.add(1, ordering: .relaxed)
                        default:
                            tally.failures.withLock { $0.append("\(response.status) \(response.text)") }
                        }
                    }
                    if index == 100 {
                        await system.kill("payments")
                        try await system.startService("payments")
                    }
                }
                try await group.waitForAll()
            }
            #expect(tally.failures.withLock { $0 }.isEmpty, "\(tally.failures.withLock { $0.prefix(5) })\n\(system.logs())")
            let jobs = tally.accepted.withLock { $0 }
            #expect(jobs.count == 100)

            // Every accepted job is recorded exactly once, completed or rejected.
            let token = users[0].token
            for (_, jobID) in jobs {
                let transaction = try await Self.transaction(system, jobID, token: token, timeout: .seconds(60))
                #expect(["completed", "rejected"].contains(transaction?["status"] as? String ?? "missing"), "job \(jobID)")
            }
            let listed = try await HTTP.call(
                "GET",
                "\(system.proxy)/transactions?limit=1000",
                headers: ["Authorization": "Bearer \(token)"]
            )
            let transactions = (try listed.json()["transactions"] as? [[String: Any]]) ?? []
            let ids = transactions.compactMap { $0["id"] as? String }
            #expect(Set(ids) == Set(jobs.values), "transactions that no client was told about, or missing ones")
            #expect(ids.count == Set(ids).count)

            // Each balance is its deposit plus what the recorded transactions say, and the total is conserved.
            var expected: [Int64: Int64] = [:]
            for user in users { expected[user.id] = 20_000 }
            for transaction in transactions where transaction["status"] as? String == "completed" {
                let amount = int64(transaction["amount"]) ?? 0
                if let from = int64(transaction["user_id"]) { expected[from, default: 0] -= amount }
                if let to = int64(transaction["to_user_id"]) { expected[to, default: 0] += amount }
            }
            var total: Int64 = 0
            for user in users {
                let me = try await HTTP.call(
                    "GET",
                    "\(system.proxy)/users/\(user.id)",
                    headers: ["Authorization": "Bearer \(user.token)"]
                )
                let balance = int64(try me.json()["balance"]) ?? -1
                #expect(balance == expected[user.id], "user \(user.id)")
                total += balance
            }
            #expect(total == 80_000)
        }
    }
}
