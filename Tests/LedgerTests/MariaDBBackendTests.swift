import Foundation
import Testing

@testable import Ledger

/// What only the MySQL/MariaDB backend has: the unix socket, the login error, the tables' engine and
/// character set. The behaviour it shares with the other backends is the storage suite's.
@Suite(
    "MariaDB backend",
    .enabled(if: TestBackend.mysqlRequired || TestBackend.mysqlURL != nil, "PAGOS_TEST_MYSQL_URL is unset")
)
struct MariaDBBackendTests {
    @Test func connectsThroughTheUnixSocket() async throws {
        let directory = try #require(MariaDBServer.directory, "PAGOS_TEST_MYSQL_DIR is not set")
        try await withDatabase(.mysql) { database in
            guard case .mysql(let tcp) = database.url else { throw TestSetupError("not a mysql URL") }
            let name = try #require(tcp.database)
            let url = try DatabaseURL("mysql://pagos:pagos@localhost/\(name)?socket=\(directory)/mysqld.sock")
            var configuration = database.configuration()
            configuration.url = url
            let store = try await SQLLedgerStore.open(configuration)
            #expect(try await store.users(after: nil, limit: 10).map(\.username) == ["willis", "ana"])
            try await store.close()
        }
    }

    @Test func aWrongPasswordIsReportedWithoutThePassword() async throws {
        var address = try MariaDBAdmin.fromEnvironment().address
        address.password = "not-the-password"
        address.database = "mysql"
        await #expect {
            _ = try await SQLLedgerStore.open(LedgerConfiguration(url: .mysql(address), connectTimeout: .seconds(5)))
        } throws: { error in
            guard case LedgerError.unavailable(let why) = error else { return false }
            return why.contains("1045") && !why.contains("not-the-password")
        }
    }

    @Test func tablesAreInnoDBWithTheBinaryUTF8Collation() async throws {
        try await withLedger(.mysql) { _, database in
            guard case .mysql(let address) = database.url, let name = address.database else {
                throw TestSetupError("not a mysql URL")
            }
            let rows = try await MariaDBAdmin(address: address).query(
                """
                SELECT TABLE_NAME AS name, ENGINE AS engine, TABLE_COLLATION AS collation
                FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME
                """,
                [.string(name)]
            )
            #expect(
                try rows.map { try $0.decode(column: "name", as: String.self) } == [
                    "ledger_deposits", "ledger_notifications", "ledger_outbox", "ledger_schema_migrations",
                    "ledger_transactions", "ledger_users",
                ]
            )
            for row in rows {
                #expect(try row.decode(column: "engine", as: String.self) == "InnoDB")
                #expect(try row.decode(column: "collation", as: String.self) == "utf8mb4_bin")
            }
        }
    }

    /// Text, NULLs and 64-bit extremes survive the round trip through bound parameters and result
    /// buffers; a quote in a value is data, never SQL.
    @Test func valuesRoundTripThroughPreparedStatements() async throws {
        let admin = try MariaDBAdmin.fromEnvironment()
        let rows = try await admin.query(
            "SELECT ? AS text, ? AS nothing, ? AS smallest, ? AS largest, CAST(? AS UNSIGNED) AS unsigned_value",
            [.string("O'Brien; DROP TABLE x -- ñ 💸"), .null, .int(.min), .int(.max), .uint(.max)]
        )
        let row = try #require(rows.first)
        #expect(try row.decode(column: "text", as: String.self) == "O'Brien; DROP TABLE x -- ñ 💸")
        #expect(try row.decodeNil(column: "nothing"))
        #expect(try row.decode(column: "smallest", as: Int64.self) == .min)
        #expect(try row.decode(column: "largest", as: Int64.self) == .max)
        #expect(try row.decode(column: "unsigned_value", as: UInt64.self) == .max)
    }
}
