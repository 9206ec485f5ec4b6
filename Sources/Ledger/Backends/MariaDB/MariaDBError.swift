/// An error from the MariaDB client library or the server: its error number, SQLSTATE and message.
struct MariaDBError: Error, Sendable, CustomStringConvertible {
    /// The server's (1000–1999, 3000+) or the client library's (2000–2999) error number; 0 for errors
    /// raised by Pasarela's own code around the library.
    let code: UInt32
    let sqlState: String
    let message: String

    init(code: UInt32, sqlState: String, message: String) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
    }

    /// An error of ours (a bad bind, a closed connection), not the library's.
    init(client message: String) {
        self.init(code: 0, sqlState: "HY000", message: message)
    }

    // Error numbers the ledger reacts to (mysqld_error.h, errmsg.h).
    static let duplicateEntry: UInt32 = 1062  // ER_DUP_ENTRY
    static let duplicateEntryWithKeyName: UInt32 = 1586  // ER_DUP_ENTRY_WITH_KEY_NAME
    static let lockWaitTimeout: UInt32 = 1205  // ER_LOCK_WAIT_TIMEOUT
    static let deadlock: UInt32 = 1213  // ER_LOCK_DEADLOCK
    static let recordChanged: UInt32 = 1020  // ER_CHECKREAD (MariaDB's snapshot isolation)
    static let unsupportedPreparedStatement: UInt32 = 1295  // ER_UNSUPPORTED_PS

    /// The connection is gone or unusable: the server went away, restarted, killed the session, or the
    /// network failed. The pool drops such a connection and opens a new one.
    var isConnectionLost: Bool {
        switch code {
        case 2002, 2003, 2006, 2013, 2026, 2055:  // CR_CONNECTION_ERROR … CR_SERVER_LOST_EXTENDED
            true
        case 1053, 1927, 4031:  // ER_SERVER_SHUTDOWN, ER_CONNECTION_KILLED, MySQL's ER_CLIENT_INTERACTION_TIMEOUT
            true
        default:
            false
        }
    }

    /// A UNIQUE key or primary key was violated.
    var isUniqueViolation: Bool { code == Self.duplicateEntry || code == Self.duplicateEntryWithKeyName }

    /// The server rolled back (or can roll back) the transaction for a reason that a retry may fix.
    var isTransient: Bool { code == Self.deadlock || code == Self.lockWaitTimeout || code == Self.recordChanged }

    /// The number, SQLSTATE and message, without the bound values a duplicate-key message quotes
    /// (`Duplicate entry 'job-1' for key 'k'` becomes `duplicate entry for key 'k'`).
    var description: String {
        var text = message
        if isUniqueViolation, let key = message.range(of: " for key ") {
            text = "duplicate entry" + message[key.lowerBound...]
        }
        let origin = code == 0 ? "MariaDB client" : "MySQL \(code) (\(sqlState))"
        return "\(origin): \(text)"
    }
}
