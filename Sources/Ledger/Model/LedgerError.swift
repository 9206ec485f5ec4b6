/// Errors of the ledger store. Payment rejections are not errors: they are recorded outcomes
/// (``RejectionReason``).
public enum LedgerError: Error, Sendable, Hashable {
    /// The database URL could not be understood; the text says why.
    case invalidDatabaseURL(String)
    /// The URL names a database the ledger cannot use (kept for API stability; every recognised scheme
    /// is supported now).
    case unsupportedDatabase(String)
    /// The database could not be reached or opened; the text says why (no credentials in it).
    case unavailable(String)
    /// The username is already registered (HTTP 409).
    case usernameTaken(String)
    /// No user has this id (HTTP 404).
    case unknownUser(Int64)
    /// An amount is not a positive number of cents, or is too large (HTTP 400).
    case invalidAmount(Int64)
    /// An argument is malformed (empty or too long id, username, ...); the text says which (HTTP 400).
    case invalidArgument(String)
    /// The database holds a schema newer than this program knows (a newer version migrated it).
    case schemaTooNew(found: Int64, known: Int64)
    /// The database failed in a way the ledger does not handle; the text says how.
    case database(String)
}

extension LedgerError: CustomStringConvertible {
    /// A one-line explanation, safe for logs and `{"message"}` bodies.
    public var description: String {
        switch self {
        case .invalidDatabaseURL(let why): "invalid database URL: \(why)"
        case .unsupportedDatabase(let why): "unsupported database: \(why)"
        case .unavailable(let why): "database unavailable: \(why)"
        case .usernameTaken(let name): "username \"\(name)\" is already taken"
        case .unknownUser(let id): "no user with id \(id)"
        case .invalidAmount(let amount):
            "invalid amount \(amount): must be a positive number of cents up to \(LedgerLimits.maximumAmount)"
        case .invalidArgument(let why): "invalid argument: \(why)"
        case .schemaTooNew(let found, let known):
            "the database schema is at version \(found), newer than this program's \(known)"
        case .database(let why): "database error: \(why)"
        }
    }
}
