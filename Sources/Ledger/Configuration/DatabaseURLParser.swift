/// The parsing behind ``DatabaseURL/init(_:)``: hand-written, so that every mistake gets its own message
/// and SQLite's relative form (`sqlite://data/ledger.sqlite`, where a generic URL parser sees a host) keeps
/// its meaning.
enum DatabaseURLParser {
    static func parse(_ string: String) throws(LedgerError) -> DatabaseURL {
        guard let schemeEnd = string.range(of: "://") else {
            throw .invalidDatabaseURL("missing scheme: expected sqlite://, postgres:// or mysql://")
        }
        let rest = string[schemeEnd.upperBound...]
        switch string[..<schemeEnd.lowerBound].lowercased() {
        case "sqlite", "sqlite3":
            return .sqlite(path: try sqlitePath(rest))
        case "postgres", "postgresql":
            return .postgres(try serverAddress(rest, defaultPort: 5432, allowsTLSMode: true, allowsSocket: false))
        case "mysql", "mariadb":
            return .mysql(try serverAddress(rest, defaultPort: 3306, allowsTLSMode: false, allowsSocket: true))
        case let other:
            throw .invalidDatabaseURL("unsupported scheme \"\(other)\": expected sqlite, postgres or mysql")
        }
    }

    /// `sqlite:///abs` keeps the leading slash; `sqlite://rel/path` is relative.
    private static func sqlitePath(_ rest: Substring) throws(LedgerError) -> String {
        if rest.contains("?") || rest.contains("#") {
            throw .invalidDatabaseURL("a sqlite URL takes no query or fragment")
        }
        let path = try decode(rest, what: "path")
        guard !path.isEmpty, path != "/", !path.hasSuffix("/") else {
            throw .invalidDatabaseURL("a sqlite URL names a file: sqlite:///abs/path.sqlite or sqlite://relative/path.sqlite")
        }
        guard !path.contains("\0") else { throw .invalidDatabaseURL("the path contains a NUL byte") }
        return path
    }

    private static func serverAddress(
        _ rest: Substring,
        defaultPort: Int,
        allowsTLSMode: Bool,
        allowsSocket: Bool
    ) throws(LedgerError) -> DatabaseURL.ServerAddress {
        var body = rest
        var query: Substring = ""
        if let mark = body.firstIndex(of: "?") {
            query = body[body.index(after: mark)...]
            body = body[..<mark]
        }
        if let hash = body.firstIndex(of: "#") { body = body[..<hash] }
        var authority = body
        var path: Substring = ""
        if let slash = body.firstIndex(of: "/") {
            authority = body[..<slash]
            path = body[body.index(after: slash)...]
        }
        guard let at = authority.lastIndex(of: "@") else {
            throw .invalidDatabaseURL("missing user name: expected scheme://user[:password]@host[:port]/database")
        }
        let userInfo = authority[..<at]
        var username: String
        var password: String?
        if let colon = userInfo.firstIndex(of: ":") {
            username = try decode(userInfo[..<colon], what: "user name")
            password = try decode(userInfo[userInfo.index(after: colon)...], what: "password")
        } else {
            username = try decode(userInfo, what: "user name")
        }
        guard !username.isEmpty else { throw .invalidDatabaseURL("empty user name") }
        let (host, port) = try hostAndPort(authority[authority.index(after: at)...], defaultPort: defaultPort)
        if path.contains("/") { throw .invalidDatabaseURL("the database name must not contain \"/\"") }
        let database = try decode(path, what: "database name")
        var tls = DatabaseURL.ServerAddress.TLSMode.prefer
        var socket: String?
        for item in query.split(separator: "&") where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].lowercased()
            let value = try parts.count > 1 ? decode(parts[1], what: key) : ""
            switch key {
            case "sslmode" where allowsTLSMode:
                switch value {
                case "disable": tls = .disable
                case "allow", "prefer": tls = .prefer
                case "require", "verify-ca", "verify-full": tls = .require
                default:
                    throw .invalidDatabaseURL("sslmode \"\(value)\" is not one of disable, prefer, require")
                }
            case "socket" where allowsSocket:
                guard value.hasPrefix("/") else {
                    throw .invalidDatabaseURL("socket must be an absolute path to the server's unix socket")
                }
                socket = value
            default:
                throw .invalidDatabaseURL("unknown parameter \"\(key)\"")
            }
        }
        if !allowsTLSMode { tls = .disable }
        return .init(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database.isEmpty ? nil : database,
            tls: tls,
            socket: socket
        )
    }

    private static func hostAndPort(_ text: Substring, defaultPort: Int) throws(LedgerError) -> (String, Int) {
        var hostText = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalidDatabaseURL("unterminated IPv6 address") }
            hostText = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw .invalidDatabaseURL("unexpected \"\(after)\" after the IPv6 address")
            }
        } else if let colon = text.lastIndex(of: ":") {
            hostText = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        let host = try decode(hostText, what: "host")
        guard !host.isEmpty else { throw .invalidDatabaseURL("missing host") }
        guard let portText else { return (host, defaultPort) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw .invalidDatabaseURL("port \"\(portText)\" is not a number from 1 to 65535")
        }
        return (host, port)
    }

    /// Percent-decodes one URL component.
    static func decode(_ text: Substring, what: String) throws(LedgerError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = utf8.popFirst().flatMap(hexValue), let low = utf8.popFirst().flatMap(hexValue) else {
                throw .invalidDatabaseURL("bad percent-escape in the \(what)")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .invalidDatabaseURL("the \(what) is not valid UTF-8 once decoded")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
