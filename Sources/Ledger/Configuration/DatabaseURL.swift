/// Where the ledger lives, parsed from `--database` / `DATABASE_URL` (DESIGN §8):
///
/// - `sqlite:///abs/path/ledger.sqlite` (absolute) or `sqlite://data/ledger.sqlite` (relative to the
///   working directory); percent-escapes are decoded.
/// - `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]` (also
///   `postgresql://`); port 5432 and `sslmode=prefer` by default, as libpq.
/// - `mysql://user[:password]@host[:port]/database[?socket=/path/to/mysqld.sock]` (also `mariadb://`):
///   MySQL ≥ 8.0.16 or MariaDB ≥ 10.2 over MariaDB Connector/C; port 3306 by default. With `socket`,
///   the client connects through that unix socket and the host and port are not used.
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
        /// A unix socket to connect through instead of host and port (MySQL/MariaDB only).
        public var socket: String?

        public init(
            host: String,
            port: Int,
            username: String,
            password: String?,
            database: String?,
            tls: TLSMode,
            socket: String? = nil
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.tls = tls
            self.socket = socket
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
        let address = "\(login)@\(host):\(port)/\(database ?? "")"
        guard let socket else { return address }
        return address + "?socket=" + socket
    }
}
