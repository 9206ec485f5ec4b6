import SQLKit

extension SQLLedgerStore {
    public func createUser(_ user: NewUser) async throws -> LedgerUser {
        try Self.validate(user)
        let now = self.now
        return try await write(
            { session in
                if try await Self.userRow(username: user.username, on: session) != nil {
                    throw LedgerError.usernameTaken(user.username)
                }
                try await session.raw(
                    """
                    INSERT INTO ledger_users (username, name, password_hash, balance, created_at)
                    VALUES (\(bind: user.username), \(bind: user.name), \(bind: user.passwordHash), 0, \(bind: now))
                    """
                ).run()
                guard let created = try await Self.userRow(username: user.username, on: session) else {
                    throw LedgerError.database("the new user \"\(user.username)\" cannot be read back")
                }
                return try LedgerRows.user(created)
            },
            onUniqueViolation: {
                // Another process registered the same username between our check and our insert.
                throw LedgerError.usernameTaken(user.username)
            }
        )
    }

    public func user(id: Int64) async throws -> LedgerUser? {
        try await read { session in
            try await session.raw("SELECT \(LedgerRows.userColumns) FROM ledger_users WHERE id = \(bind: id)")
                .first().map(LedgerRows.user)
        }
    }

    public func user(username: String) async throws -> LedgerUser? {
        try await read { session in
            try await Self.userRow(username: username, on: session).map(LedgerRows.user)
        }
    }

    public func credentials(username: String) async throws -> UserCredentials? {
        try await read { session in
            guard let row = try await Self.userRow(username: username, on: session) else { return nil }
            return UserCredentials(
                user: try LedgerRows.user(row),
                passwordHash: try row.optional(column: "password_hash", as: String.self)
            )
        }
    }

    public func users(after afterID: Int64?, limit: Int) async throws -> [LedgerUser] {
        let limit = Int64(Self.clamp(limit: limit))
        return try await read { session in
            try await session.raw(
                """
                SELECT \(LedgerRows.userColumns) FROM ledger_users
                WHERE id > \(bind: afterID ?? Int64.min) ORDER BY id LIMIT \(bind: limit)
                """
            ).all().map(LedgerRows.user)
        }
    }

    public func deposit(userID: Int64, amount: Int64) async throws -> LedgerUser {
        guard amount > 0, amount <= LedgerLimits.maximumAmount else { throw LedgerError.invalidAmount(amount) }
        let now = self.now
        return try await write { session in
            guard
                let locked = try await session.raw(
                    "SELECT balance FROM ledger_users WHERE id = \(bind: userID) \(SQLLockingClause.update)"
                ).first()
            else { throw LedgerError.unknownUser(userID) }
            let balance = try locked.decode(column: "balance", as: Int64.self)
            guard !balance.addingReportingOverflow(amount).overflow else { throw LedgerError.invalidAmount(amount) }
            try await session.raw(
                "UPDATE ledger_users SET balance = balance + \(bind: amount) WHERE id = \(bind: userID)"
            ).run()
            try await session.raw(
                """
                INSERT INTO ledger_deposits (user_id, amount, source, created_at)
                VALUES (\(bind: userID), \(bind: amount), 'deposit', \(bind: now))
                """
            ).run()
            guard
                let row = try await session.raw(
                    "SELECT \(LedgerRows.userColumns) FROM ledger_users WHERE id = \(bind: userID)"
                ).first()
            else { throw LedgerError.unknownUser(userID) }
            return try LedgerRows.user(row)
        }
    }

    /// The row of a username with every column the user and credentials need.
    static func userRow(username: String, on session: any SQLDatabase) async throws -> (any SQLRow)? {
        try await session.raw(
            "SELECT \(LedgerRows.userColumns), password_hash FROM ledger_users WHERE username = \(bind: username)"
        ).first()
    }

    static func validate(_ user: NewUser) throws(LedgerError) {
        func check(_ value: String, _ what: String, max: Int) throws(LedgerError) {
            guard !value.allSatisfy(\.isWhitespace) else { throw .invalidArgument("the \(what) is empty") }
            guard value.count <= max else { throw .invalidArgument("the \(what) is longer than \(max) characters") }
        }
        try check(user.username, "username", max: LedgerLimits.maximumUsernameLength)
        try check(user.name, "name", max: LedgerLimits.maximumNameLength)
        try check(user.passwordHash, "password hash", max: 512)
    }
}
