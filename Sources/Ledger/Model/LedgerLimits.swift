/// Bounds the ledger enforces on its inputs.
public enum LedgerLimits {
    /// The largest amount of one payment or deposit, in cents (one trillion units): far below
    /// `Int64.max`, so sums of balances cannot overflow in practice.
    public static let maximumAmount: Int64 = 100_000_000_000_000
    /// The longest job id (transaction id) or event id the ledger stores.
    public static let maximumIDLength = 200
    /// The longest username.
    public static let maximumUsernameLength = 64
    /// The longest display name.
    public static let maximumNameLength = 200
    /// The longest payment description.
    public static let maximumDescriptionLength = 500
    /// The most rows one list query returns.
    public static let maximumPageSize = 1000
}
