import SQLKit

/// The seed system's users (DESIGN §8), inserted once by migration 2: 1 Willis 500.00 and 2 Ana 700.00.
/// They have no password (they cannot log in with one); their balances are recorded as `seed` deposits,
/// so the conservation check needs no constant.
public enum LedgerSeed {
    /// One seed user.
    public struct User: Sendable, Hashable {
        public var id: Int64
        public var username: String
        public var name: String
        /// Cents.
        public var balance: Int64
    }

    /// The seed users.
    public static let users: [User] = [
        User(id: 1, username: "willis", name: "Willis", balance: 50_000),
        User(id: 2, username: "ana", name: "Ana", balance: 70_000),
    ]

    /// The seed balances' sum, in cents.
    public static var total: Int64 { users.reduce(0) { $0 + $1.balance } }

    static func statements(_ dialect: LedgerDialect, now: Int64) -> [SQLQueryString] {
        var statements: [SQLQueryString] = []
        for user in users {
            statements.append(
                """
                INSERT INTO ledger_users (id, username, name, password_hash, balance, created_at)
                VALUES (\(literal: user.id), \(literal: user.username), \(literal: user.name), NULL, \
                \(literal: user.balance), \(literal: now))
                """
            )
            statements.append(
                """
                INSERT INTO ledger_deposits (user_id, amount, source, created_at)
                VALUES (\(literal: user.id), \(literal: user.balance), 'seed', \(literal: now))
                """
            )
        }
        statements += dialect.afterExplicitIDs(table: "ledger_users").map { SQLQueryString($0) }
        return statements
    }
}
