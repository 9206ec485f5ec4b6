/// The sums behind the conservation of money (DESIGN §8): at any moment the balances plus the completed
/// payments that left the ledger (those without a payee) equal the seed balances plus the deposits,
/// whatever crashes, redeliveries or duplicates happened. Tests and chaos runs check ``isConserved``.
public struct LedgerTotals: Sendable, Hashable {
    /// The sum of every user's balance, in cents.
    public var balances: Int64
    /// The balances the seed data started with.
    public var seeded: Int64
    /// The sum of deposits made since.
    public var deposited: Int64
    /// The sum of completed payments without a payee.
    public var paidOut: Int64

    public init(balances: Int64, seeded: Int64, deposited: Int64, paidOut: Int64) {
        self.balances = balances
        self.seeded = seeded
        self.deposited = deposited
        self.paidOut = paidOut
    }

    /// `balances + paidOut == seeded + deposited`.
    public var isConserved: Bool {
        balances + paidOut == seeded + deposited
    }
}
