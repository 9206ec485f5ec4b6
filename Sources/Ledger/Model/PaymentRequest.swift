/// A `payment.requested` job as the payments worker hands it to the ledger.
public struct PaymentRequest: Sendable, Hashable {
    /// The job id: the transaction is recorded under it, at most once.
    public var jobID: String
    /// The account to debit (`{id}` of `POST /users/{id}/pay`).
    public var payerID: Int64
    /// The account to credit, or `nil` for a payment leaving the ledger.
    public var payeeID: Int64?
    /// Cents; must be positive.
    public var amount: Int64
    /// Free text kept with the transaction.
    public var description: String?
    /// The `X-User-Id` header of the job, verbatim; when present it must name the payer, else the job is
    /// rejected as ``RejectionReason/forbidden``. `nil` for legacy jobs, which carry none.
    public var authenticatedUserID: String?

    public init(
        jobID: String,
        payerID: Int64,
        payeeID: Int64? = nil,
        amount: Int64,
        description: String? = nil,
        authenticatedUserID: String? = nil
    ) {
        self.jobID = jobID
        self.payerID = payerID
        self.payeeID = payeeID
        self.amount = amount
        self.description = description
        self.authenticatedUserID = authenticatedUserID
    }
}

/// What applying a payment job did.
public struct PaymentOutcome: Sendable, Hashable {
    /// The recorded transaction (completed or rejected).
    public var transaction: LedgerTransaction
    /// `true` when the job id was already recorded: this call changed nothing and returns the earlier
    /// outcome (a redelivery or a duplicate). The worker acknowledges the job either way.
    public var isDuplicate: Bool

    public init(transaction: LedgerTransaction, isDuplicate: Bool) {
        self.transaction = transaction
        self.isDuplicate = isDuplicate
    }
}
