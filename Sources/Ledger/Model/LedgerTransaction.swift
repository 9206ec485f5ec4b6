import Foundation

/// Whether a payment moved money.
public enum TransactionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The payer was debited (and the payee credited) in the same database transaction.
    case completed
    /// Nothing moved; ``LedgerTransaction/reason`` says why.
    case rejected
}

/// Why a payment was rejected (DESIGN §8). The raw values are the API's `reason` strings.
public enum RejectionReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The payer's balance is lower than the amount.
    case insufficientFunds = "insufficient_funds"
    /// The payer or the payee does not exist.
    case unknownUser = "unknown_user"
    /// The amount is not a positive number of cents (or is above ``LedgerLimits/maximumAmount``).
    case invalidAmount = "invalid_amount"
    /// The authenticated user (`X-User-Id`) is not the payer, or the payer pays themselves.
    case forbidden
}

/// One processed payment job, recorded under the job id (the transaction id of the API):
/// `{"id","user_id","to_user_id","amount","status","reason","created_at"}`.
public struct LedgerTransaction: Sendable, Hashable, Codable {
    /// The job id; unique in the ledger, so a redelivered job is recognised.
    public var id: String
    /// The position in ledger order (increasing with each recorded job); the cursor of ``TransactionPages``.
    public var sequence: Int64
    /// The payer (for a rejected job, the id the job named, which may not exist).
    public var userID: Int64
    /// The payee, or `nil` for a payment leaving the ledger (an external payment).
    public var toUserID: Int64?
    /// The amount in cents, as requested.
    public var amount: Int64
    /// Completed or rejected.
    public var status: TransactionStatus
    /// Why it was rejected; `nil` when completed.
    public var reason: RejectionReason?
    /// The payer's free text, if any.
    public var description: String?
    /// When the job was processed.
    public var createdAt: Date

    public init(
        id: String,
        sequence: Int64,
        userID: Int64,
        toUserID: Int64?,
        amount: Int64,
        status: TransactionStatus,
        reason: RejectionReason?,
        description: String?,
        createdAt: Date
    ) {
        self.id = id
        self.sequence = sequence
        self.userID = userID
        self.toUserID = toUserID
        self.amount = amount
        self.status = status
        self.reason = reason
        self.description = description
        self.createdAt = createdAt
    }
}
