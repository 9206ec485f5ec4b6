import Ledger
import Testing

@Suite("DatabaseURL")
struct DatabaseURLTests {
    @Test(arguments: [
        ("sqlite:///abs/path/ledger.sqlite", DatabaseURL.sqlite(path: "/abs/path/ledger.sqlite")),
        ("sqlite://data/ledger.sqlite", .sqlite(path: "data/ledger.sqlite")),
        ("SQLite://ledger.sqlite", .sqlite(path: "ledger.sqlite")),
        ("sqlite:///tmp/with%20space.sqlite", .sqlite(path: "/tmp/with space.sqlite")),
        (
            "postgres://pagos:s%40cret@db.example:6543/ledger",
            .postgres(
                .init(host: "db.example", port: 6543, username: "pagos", password: "s@cret", database: "ledger", tls: .prefer)
            )
        ),
        (
            "postgresql://pagos@localhost/ledger?sslmode=disable",
            .postgres(.init(host: "localhost", port: 5432, username: "pagos", password: nil, database: "ledger", tls: .disable))
        ),
        (
            "postgres://pagos@[::1]:5433/?sslmode=verify-full",
            .postgres(.init(host: "::1", port: 5433, username: "pagos", password: nil, database: nil, tls: .require))
        ),
        (
            "mysql://root:pw@127.0.0.1/pagos",
            .mysql(.init(host: "127.0.0.1", port: 3306, username: "root", password: "pw", database: "pagos", tls: .disable))
        ),
    ])
    func parses(text: String, expected: DatabaseURL) throws {
        #expect(try DatabaseURL(text) == expected)
    }

    @Test(arguments: [
        ("ledger.sqlite", "missing scheme"),
        ("redis://localhost", "unsupported scheme \"redis\""),
        ("sqlite://", "a sqlite URL names a file"),
        ("sqlite:///", "a sqlite URL names a file"),
        ("sqlite:///data/", "a sqlite URL names a file"),
        ("sqlite:///x.sqlite?mode=ro", "takes no query"),
        ("sqlite:///bad%2", "bad percent-escape in the path"),
        ("postgres://localhost/ledger", "missing user name"),
        ("postgres://@localhost/ledger", "empty user name"),
        ("postgres://u@/ledger", "missing host"),
        ("postgres://u@host:99999/ledger", "port \"99999\""),
        ("postgres://u@host:abc/ledger", "port \"abc\""),
        ("postgres://u@host/ledger?sslmode=sometimes", "sslmode \"sometimes\""),
        ("postgres://u@host/ledger?timeout=3", "unknown parameter \"timeout\""),
        ("postgres://u@host/a/b", "must not contain \"/\""),
        ("postgres://u@[::1/ledger", "unterminated IPv6"),
    ])
    func rejects(text: String, message: String) {
        #expect {
            try DatabaseURL(text)
        } throws: { error in
            guard case LedgerError.invalidDatabaseURL(let why) = error else { return false }
            return why.contains(message)
        }
    }

    @Test func descriptionHidesThePassword() throws {
        let url = try DatabaseURL("postgres://pagos:topsecret@db:5432/ledger")
        #expect(url.description == "postgres://pagos:***@db:5432/ledger")
        #expect(!url.description.contains("topsecret"))
    }

    @Test func mysqlSocketParameter() throws {
        let url = try DatabaseURL("mariadb://pagos:pw@localhost/ledger?socket=%2Ftmp%2Fm%20d%2Fmysqld.sock")
        #expect(
            url
                == .mysql(
                    .init(
                        host: "localhost",
                        port: 3306,
                        username: "pagos",
                        password: "pw",
                        database: "ledger",
                        tls: .disable,
                        socket: "/tmp/m d/mysqld.sock"
                    )
                )
        )
        #expect(url.description == "mysql://pagos:***@localhost:3306/ledger?socket=/tmp/m d/mysqld.sock")
        #expect(throws: LedgerError.self) { try DatabaseURL("mysql://u@h/db?socket=relative.sock") }
        #expect(throws: LedgerError.self) { try DatabaseURL("postgres://u@h/db?socket=/tmp/s") }
    }

    /// A closed port is reported as unreachable, with the address, promptly (no server needed).
    @Test func mysqlUnreachableServer() async throws {
        let url = try DatabaseURL("mysql://root:secret@127.0.0.1:1/pagos")
        await #expect {
            _ = try await SQLLedgerStore.open(LedgerConfiguration(url: url, connectTimeout: .seconds(5)))
        } throws: { error in
            guard case LedgerError.unavailable(let why) = error else { return false }
            return why.contains("root@127.0.0.1:1/pagos") && !why.contains("secret")
        }
    }
}
