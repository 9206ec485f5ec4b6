/// Where the ledger lives, parsed from `--database` / `DATABASE_URL` (DESIGN §8):
///
/// - `sqlite:///abs/path/ledger.sqlite` (absolute) or `sqlite://data/ledger.sqlite` (relative to the
///   working directory); percent-escapes are decoded.
/// - `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]` (also
///   `postgresql://`); port 5432 and `sslmode=prefer` by default, as libpq.
/// - `mysql://user[:password]@host[:port]/database` (also `mariadb://`): recognised, not supported yet
///   (issue 9); opening it fails with ``LedgerError/unsupportedDatabase(_:)``.
public enum DatabaseURL: Sendable, Hashable {
    /// A SQLite file; `path` is as written (relative paths resolve against the working directory).
    case sqlite(path: String)
    /// A PostgreSQL server.
    case postgres(ServerAddress)
    /// A MySQL or MariaDB server.
    case mysql(ServerAddress)

    /// The default: `sqlite://data/ledger.sqlite`.
    public static let defaultURL = DatabaseURL.sqlite(path: "data/ledger.sqlite")

    /// Parses a URL; throws ``LedgerError/invalidDatabaseURL(_:)`` saying what is wrong.
    public init(_ string: String) throws(LedgerError) {
        self = try DatabaseURLParser.parse(string)
    }

    /// A network database's address and login.
    public struct ServerAddress: Sendable, Hashable {
        /// TLS use, as libpq's `sslmode` (PostgreSQL only).
        public enum TLSMode: String, Sendable, Hashable, CaseIterable {
            /// Plain TCP.
            case disable
            /// TLS when the server offers it (without certificate checks), else plain.
            case prefer
            /// TLS with the server's certificate verified.
            case require
        }

        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String?
        public var tls: TLSMode

        public init(host: String, port: Int, username: String, password: String?, database: String?, tls: TLSMode) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.tls = tls
        }
    }
}

extension DatabaseURL: CustomStringConvertible {
    /// The URL with any password replaced by `***`, for logs.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let address): "postgres://\(address.redacted)"
        case .mysql(let address): "mysql://\(address.redacted)"
        }
    }
}

extension DatabaseURL.ServerAddress {
    fileprivate var redacted: String {
        let login = password == nil ? username : "\(username):***"
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "\(login)@\(host):\(port)/\(database ?? "")"
    }
}
