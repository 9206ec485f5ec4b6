import SQLKit

extension SQLLedgerStore {
    /// One write transaction:
    /// 1. lock the payer's and payee's rows, in id order (`SELECT … ORDER BY id FOR UPDATE`; SQLite's
    ///    `BEGIN IMMEDIATE` already holds the write lock), so concurrent jobs on the same accounts queue here
    ///    and never deadlock;
    /// 2. look the job id up, after the lock: a concurrent duplicate of this job waited for the first and
    ///    now sees it committed, and returns it unchanged;
    /// 3. decide (``PaymentDecision``) on the locked balances;
    /// 4. debit and credit (exact under the lock; the `balance >= 0` CHECK backs it), insert the
    ///    transaction under the job id (UNIQUE) and its outbox event.
    /// A duplicate that slips past step 2 (the payer does not exist, so nothing was locked) fails on the
    /// UNIQUE job id; the whole attempt rolls back and the recorded outcome is returned.
    ///
    /// Why not a conditional `UPDATE … WHERE balance >= amount` alone: telling whether it matched needs
    /// the affected-row count or `UPDATE … RETURNING`, which sql-kit does not expose portably (MySQL has no
    /// `UPDATE … RETURNING`); the row lock gives the same guarantee with the same contention.
    public func applyPayment(_ request: PaymentRequest) async throws -> PaymentOutcome {
        try Self.validate(id: request.jobID, what: "job id")
        var request = request
        if let description = request.description, description.count > LedgerLimits.maximumDescriptionLength {
            request.description = String(description.prefix(LedgerLimits.maximumDescriptionLength))
        }
        let now = self.now
        return try await write(
            { session in
                let accounts = try await Self.lockAccounts(for: request, on: session)
                if let recorded = try await Self.transactionRow(id: request.jobID, on: session) {
                    return PaymentOutcome(transaction: try LedgerRows.transaction(recorded), isDuplicate: true)
                }
                let decision = PaymentDecision.decide(
                    request,
                    payer: accounts[request.payerID],
                    payee: request.payeeID.flatMap { accounts[$0] }
                )
                if case .complete = decision {
                    try await Self.move(request, on: session)
                }
                let transaction = try await Self.record(request, decision: decision, at: now, on: session)
                try await Self.writeOutbox(PaymentEvent(for: transaction), at: now, on: session)
                return PaymentOutcome(transaction: transaction, isDuplicate: false)
            },
            onUniqueViolation: {
                guard let recorded = try await self.transaction(id: request.jobID) else {
                    throw LedgerError.database("payment \(request.jobID) hit a unique key but is not recorded")
                }
                return PaymentOutcome(transaction: recorded, isDuplicate: true)
            }
        )
    }

    public func transaction(id: String) async throws -> LedgerTransaction? {
        try await read { session in
            try await Self.transactionRow(id: id, on: session).map(LedgerRows.transaction)
        }
    }

    /// Locks the accounts a job touches; returns those that exist.
    private static func lockAccounts(
        for request: PaymentRequest,
        on session: any SQLDatabase
    ) async throws -> [Int64: PaymentDecision.Account] {
        let ids = Set([request.payerID] + (request.payeeID.map { [$0] } ?? [])).sorted()
        let rows = try await session.raw(
            """
            SELECT id, balance FROM ledger_users WHERE id IN (\(binds: ids)) ORDER BY id \(SQLLockingClause.update)
            """
        ).all()
        var accounts: [Int64: PaymentDecision.Account] = [:]
        for row in rows {
            let account = PaymentDecision.Account(
                id: try row.decode(column: "id", as: Int64.self),
                balance: try row.decode(column: "balance", as: Int64.self)
            )
            accounts[account.id] = account
        }
        return accounts
    }

    /// Debits the payer and credits the payee of a job decided `complete` (rows locked).
    private static func move(_ request: PaymentRequest, on session: any SQLDatabase) async throws {
        try await session.raw(
            "UPDATE ledger_users SET balance = balance - \(bind: request.amount) WHERE id = \(bind: request.payerID)"
        ).run()
        if let payeeID = request.payeeID {
            try await session.raw(
                "UPDATE ledger_users SET balance = balance + \(bind: request.amount) WHERE id = \(bind: payeeID)"
            ).run()
        }
    }

    /// Inserts the transaction row and reads it back (for its sequence number).
    private static func record(
        _ request: PaymentRequest,
        decision: PaymentDecision,
        at now: Int64,
        on session: any SQLDatabase
    ) async throws -> LedgerTransaction {
        let (status, reason): (TransactionStatus, RejectionReason?) =
            switch decision {
            case .complete: (.completed, nil)
            case .reject(let reason): (.rejected, reason)
            }
        try await session.raw(
            """
            INSERT INTO ledger_transactions (id, user_id, to_user_id, amount, status, reason, description, created_at)
            VALUES (\(bind: request.jobID), \(bind: request.payerID), \(bind: request.payeeID), \(bind: request.amount), \
            \(bind: status.rawValue), \(bind: reason?.rawValue), \(bind: request.description), \(bind: now))
            """
        ).run()
        guard let row = try await transactionRow(id: request.jobID, on: session) else {
            throw LedgerError.database("the transaction \(request.jobID) cannot be read back")
        }
        return try LedgerRows.transaction(row)
    }

    /// Appends an event to the outbox (inside the caller's transaction).
    static func writeOutbox(_ event: PaymentEvent, at now: Int64, on session: any SQLDatabase) async throws {
        try await session.raw(
            """
            INSERT INTO ledger_outbox (event_id, event, transaction_id, payload, created_at, published_at)
            VALUES (\(bind: event.eventID), \(bind: event.event), \(bind: event.transaction.id), \
            \(bind: try event.jsonString()), \(bind: now), NULL)
            """
        ).run()
    }

    static func transactionRow(id: String, on session: any SQLDatabase) async throws -> (any SQLRow)? {
        try await session.raw(
            "SELECT \(LedgerRows.transactionColumns) FROM ledger_transactions WHERE id = \(bind: id)"
        ).first()
    }
}
