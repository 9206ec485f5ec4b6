import CMariaDB

/// Where and how to connect, in the form the C client takes it.
struct MariaDBConnectOptions: Sendable {
    var host: String
    var port: Int
    /// A unix socket path; when set, `host` and `port` are ignored.
    var socket: String?
    var username: String
    var password: String?
    var database: String?
    /// Seconds; also the read and write timeout floor (see ``MariaDBConnection/connect(_:)``).
    var connectTimeout: UInt32
    /// Seconds a statement waits for a row lock before failing with 1205 (`innodb_lock_wait_timeout`).
    var lockWaitTimeout: UInt32
}

/// One connection of MariaDB Connector/C (`MYSQL *`), with its prepared statements.
///
/// Every method blocks on the network, so it runs on the backend's own threads (``MariaDBSession``),
/// never on an event loop or the Swift concurrency pool. A connection is used by one caller at a time
/// (the pool leases it), which is what the C library requires; hence `@unchecked Sendable`.
///
/// Statements with parameters always run as server-side prepared statements with bound values
/// (`mysql_stmt_*`); prepared statements are cached per connection by their SQL text. Only a statement
/// without parameters that the server cannot prepare (error 1295) falls back to the text protocol.
final class MariaDBConnection: @unchecked Sendable {
    private let handle: UnsafeMutablePointer<MYSQL>
    private var statements = StatementCache()
    /// Set when the connection failed in a way that makes it unusable; the pool then drops it.
    private(set) var isBroken = false
    private var isClosed = false

    private init(handle: UnsafeMutablePointer<MYSQL>) {
        self.handle = handle
    }

    deinit {
        close()
    }

    /// The session settings of every ledger connection: strict SQL (errors, never silent truncation or
    /// another storage engine), standard string literals, REPEATABLE READ (the snapshot reads rely on it
    /// whatever the server's default), and the lock wait bound.
    private static func sessionSettings(_ options: MariaDBConnectOptions) -> [String] {
        [
            "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_BACKSLASH_ESCAPES,"
                + "NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,ONLY_FULL_GROUP_BY'",
            "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            "SET SESSION innodb_lock_wait_timeout = \(max(1, options.lockWaitTimeout))",
        ]
    }

    /// The library's global set-up, once per process (not thread-safe itself, hence a lazy global).
    private static let libraryReady: Bool = mysql_server_init(0, nil, nil) == 0

    /// Connects and applies the session settings. Blocks.
    static func connect(_ options: MariaDBConnectOptions) throws(MariaDBError) -> MariaDBConnection {
        guard libraryReady, let handle = mysql_init(nil) else {
            throw MariaDBError(client: "the MariaDB client library cannot be initialised")
        }
        // Reads wait for row locks and GET_LOCK, which the server bounds; the read timeout only catches a
        // server that stopped answering altogether.
        let ioTimeout = max(options.connectTimeout, options.lockWaitTimeout) + 60
        guard pasarela_mariadb_configure(handle, options.connectTimeout, ioTimeout, ioTimeout) == 0 else {
            let error = MariaDBError(handle)
            mysql_close(handle)
            throw error
        }
        let connected = mysql_real_connect(
            handle,
            options.socket == nil ? options.host : "localhost",
            options.username,
            options.password,
            options.database,
            UInt32(options.socket == nil ? options.port : 0),
            options.socket,
            0
        )
        guard connected != nil else {
            let error = MariaDBError(handle)
            mysql_close(handle)
            throw error
        }
        let connection = MariaDBConnection(handle: handle)
        for statement in sessionSettings(options) {
            _ = try connection.execute(statement, [])
        }
        return connection
    }

    /// Runs one statement and returns its rows (none for statements without a result set). Blocks.
    /// A lost connection marks this one broken.
    func execute(_ sql: String, _ parameters: [MariaDBValue]) throws(MariaDBError) -> [MariaDBRow] {
        guard !isClosed, !isBroken else { throw MariaDBError(client: "the connection is closed") }
        do {
            return try run(sql, parameters)
        } catch {
            if error.isConnectionLost { isBroken = true }
            throw error
        }
    }

    /// Whether the server still answers (a round trip); marks the connection broken when it does not.
    func ping() -> Bool {
        guard !isClosed, !isBroken else { return false }
        if mysql_ping(handle) != 0 { isBroken = true }
        return !isBroken
    }

    /// Whether the last statement left a transaction open (a lease must not hand one to the next caller).
    var isInTransaction: Bool {
        !isClosed && pasarela_mariadb_in_transaction(handle) != 0
    }

    /// Frees the statements and closes the connection (telling the server when it still listens).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        for statement in statements.removeAll() { mysql_stmt_close(statement) }
        mysql_close(handle)
    }

    // MARK: Running statements

    private func run(_ sql: String, _ parameters: [MariaDBValue]) throws(MariaDBError) -> [MariaDBRow] {
        let statement: UnsafeMutablePointer<MYSQL_STMT>
        do {
            statement = try prepared(sql)
        } catch  where error.code == MariaDBError.unsupportedPreparedStatement && parameters.isEmpty {
            return try runText(sql)
        }
        do {
            return try MariaDBStatementRun(statement: statement).run(parameters)
        } catch {
            // A statement whose execution failed stays usable, unless the connection is gone.
            if error.isConnectionLost, let stale = statements.remove(sql) { mysql_stmt_close(stale) }
            throw error
        }
    }

    /// The cached prepared statement for `sql`, preparing it on first use.
    private func prepared(_ sql: String) throws(MariaDBError) -> UnsafeMutablePointer<MYSQL_STMT> {
        if let statement = statements[sql] { return statement }
        guard let statement = mysql_stmt_init(handle) else { throw MariaDBError(handle) }
        let length = UInt(sql.utf8.count)
        let status = sql.withCString { mysql_stmt_prepare(statement, $0, length) }
        guard status == 0, pasarela_mariadb_stmt_track_max_length(statement) == 0 else {
            let error = MariaDBError(statement: statement)
            mysql_stmt_close(statement)
            throw error
        }
        if let evicted = statements.insert(statement, for: sql) { mysql_stmt_close(evicted) }
        return statement
    }

    /// A parameterless statement over the text protocol (transaction control the server does not prepare).
    private func runText(_ sql: String) throws(MariaDBError) -> [MariaDBRow] {
        let length = UInt(sql.utf8.count)
        let status = sql.withCString { mysql_real_query(handle, $0, length) }
        guard status == 0 else { throw MariaDBError(handle) }
        guard let result = mysql_store_result(handle) else {
            if mysql_field_count(handle) == 0 { return [] }
            throw MariaDBError(handle)
        }
        defer { mysql_free_result(result) }
        let count = Int(mysql_num_fields(result))
        let fields = (0..<count).map { mysql_fetch_field_direct(result, UInt32($0)).pointee }
        let columns = fields.map { String(cString: $0.name) }
        var rows: [MariaDBRow] = []
        while let row = mysql_fetch_row(result) {
            guard let lengths = mysql_fetch_lengths(result) else { break }
            var values: [MariaDBValue] = []
            for index in 0..<count {
                guard let cell = row[index] else {
                    values.append(.null)
                    continue
                }
                let bytes = Array(UnsafeRawBufferPointer(start: cell, count: Int(lengths[index])))
                values.append(MariaDBValue.fromText(bytes, field: fields[index]))
            }
            rows.append(MariaDBRow(columns: columns, values: values))
        }
        return rows
    }
}

extension MariaDBError {
    /// The last error on a connection.
    init(_ handle: UnsafeMutablePointer<MYSQL>) {
        self.init(
            code: mysql_errno(handle),
            sqlState: String(cString: mysql_sqlstate(handle)),
            message: String(cString: mysql_error(handle))
        )
    }

    /// The last error on a prepared statement.
    init(statement: UnsafeMutablePointer<MYSQL_STMT>) {
        self.init(
            code: mysql_stmt_errno(statement),
            sqlState: String(cString: mysql_stmt_sqlstate(statement)),
            message: String(cString: mysql_stmt_error(statement))
        )
    }
}

/// Prepared statements by SQL text, oldest evicted first beyond ``capacity``.
private struct StatementCache {
    static let capacity = 64
    private var statements: [String: UnsafeMutablePointer<MYSQL_STMT>] = [:]
    private var order: [String] = []

    subscript(sql: String) -> UnsafeMutablePointer<MYSQL_STMT>? { statements[sql] }

    /// Adds a statement; returns the one evicted to make room, for the caller to close.
    mutating func insert(_ statement: UnsafeMutablePointer<MYSQL_STMT>, for sql: String) -> UnsafeMutablePointer<MYSQL_STMT>? {
        statements[sql] = statement
        order.append(sql)
        guard order.count > Self.capacity else { return nil }
        return statements.removeValue(forKey: order.removeFirst())
    }

    mutating func remove(_ sql: String) -> UnsafeMutablePointer<MYSQL_STMT>? {
        order.removeAll { $0 == sql }
        return statements.removeValue(forKey: sql)
    }

    mutating func removeAll() -> [UnsafeMutablePointer<MYSQL_STMT>] {
        defer {
            statements.removeAll()
            order.removeAll()
        }
        return Array(statements.values)
    }
}
