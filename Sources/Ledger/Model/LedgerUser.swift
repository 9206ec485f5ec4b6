import Foundation

/// An account holder and their balance, as the services show it (`{"id","username","name","balance"}`).
///
/// Money is integer minor units (cents): `balance` 1250 means 12.50. The password hash is never part of
/// this value; only ``UserCredentials`` carries it, for the login check.
public struct LedgerUser: Sendable, Hashable, Codable {
    /// The user id (seed users are 1 and 2).
    public var id: Int64
    /// The unique login name.
    public var username: String
    /// The display name (`nombre` in the legacy API).
    public var name: String
    /// The balance in cents; never negative.
    public var balance: Int64
    /// When the user was created (seed users: when the ledger was first migrated).
    public var createdAt: Date

    public init(id: Int64, username: String, name: String, balance: Int64, createdAt: Date) {
        self.id = id
        self.username = username
        self.name = name
        self.balance = balance
        self.createdAt = createdAt
    }
}

/// What registering a user needs. The password is already hashed by the caller (a slow KDF in the
/// users service): the ledger stores the string as given and never sees a clear password.
public struct NewUser: Sendable, Hashable {
    /// The login name; unique (``LedgerError/usernameTaken(_:)`` otherwise).
    public var username: String
    /// The display name.
    public var name: String
    /// The encoded password hash (for example a PHC string), stored verbatim.
    public var passwordHash: String

    public init(username: String, name: String, passwordHash: String) {
        self.username = username
        self.name = name
        self.passwordHash = passwordHash
    }
}

/// A user with their stored password hash, for the login check only.
public struct UserCredentials: Sendable, Hashable {
    /// The user.
    public var user: LedgerUser
    /// The stored hash; `nil` for users that cannot log in with a password (the seed users).
    public var passwordHash: String?

    public init(user: LedgerUser, passwordHash: String?) {
        self.user = user
        self.passwordHash = passwordHash
    }
}
