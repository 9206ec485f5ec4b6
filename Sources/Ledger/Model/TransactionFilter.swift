import Foundation

/// Which transactions a query or an export covers. Every field left `nil` matches everything.
public struct TransactionFilter: Sendable, Hashable {
    /// Transactions where this user is the payer or the payee.
    public var userID: Int64?
    /// Only completed or only rejected transactions.
    public var status: TransactionStatus?
    /// Created at or after this instant.
    public var from: Date?
    /// Created strictly before this instant.
    public var to: Date?

    public init(userID: Int64? = nil, status: TransactionStatus? = nil, from: Date? = nil, to: Date? = nil) {
        self.userID = userID
        self.status = status
        self.from = from
        self.to = to
    }
}
