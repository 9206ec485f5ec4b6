/// The parsing behind ``AMQPURL/init(_:)``: a small hand-written parser, because RabbitMQ's URI
/// rules (percent-decoded vhost, `%2F`) differ from what generic URL types normalise.
enum AMQPURLParser {
    static func parse(_ string: String) throws(AMQPError) -> AMQPURL {
        guard let schemeEnd = string.range(of: "://") else {
            throw .invalidURL("missing scheme, expected amqp:// or amqps://")
        }
        let usesTLS: Bool
        switch string[..<schemeEnd.lowerBound].lowercased() {
        case "amqp": usesTLS = false
        case "amqps": usesTLS = true
        case let other: throw .invalidURL("unsupported scheme \"\(other)\", expected amqp or amqps")
        }
        var rest = string[schemeEnd.upperBound...]
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var authority = rest
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        }
        var url = AMQPURL(usesTLS: usesTLS)
        try parseAuthority(authority, into: &url)
        if path.contains("/") { throw .invalidURL("the vhost must not contain an unescaped \"/\" (write %2F)") }
        let vhost = try decode(path, what: "vhost")
        url.vhost = vhost.isEmpty ? "/" : vhost
        try parseQuery(query, into: &url)
        return url
    }

    private static func parseAuthority(_ authority: Substring, into url: inout AMQPURL) throws(AMQPError) {
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                url.user = try decode(userInfo[..<colon], what: "user")
                url.password = try decode(userInfo[userInfo.index(after: colon)...], what: "password")
            } else {
                url.user = try decode(userInfo, what: "user")
                url.password = ""
            }
        }
        var hostText = hostPort
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw .invalidURL("unterminated IPv6 address") }
            hostText = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw .invalidURL("unexpected \"\(after)\" after the IPv6 address")
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            hostText = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        }
        let host = try decode(hostText, what: "host")
        url.host = host.isEmpty ? "localhost" : host
        if let portText, !portText.isEmpty {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw .invalidURL("invalid port \"\(portText)\"")
            }
            url.port = port
        }
    }

    private static func parseQuery(_ query: Substring, into url: inout AMQPURL) throws(AMQPError) {
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try decode(parts[0], what: "query key")
            let value = parts.count > 1 ? try decode(parts[1], what: "query value") : ""
            switch key {
            case "heartbeat":
                guard let seconds = Int(value), seconds >= 0 else { throw .invalidURL("invalid heartbeat \"\(value)\"") }
                url.heartbeat = .seconds(seconds)
            case "connection_timeout":
                guard let ms = Int(value), ms > 0 else { throw .invalidURL("invalid connection_timeout \"\(value)\"") }
                url.connectionTimeout = .milliseconds(ms)
            case "cacertfile": url.tls.caCertificatePath = value
            case "certfile": url.tls.certificatePath = value
            case "keyfile": url.tls.keyPath = value
            case "verify":
                switch value {
                case "verify_peer": url.tls.verifyPeer = true
                case "verify_none": url.tls.verifyPeer = false
                default: throw .invalidURL("verify must be verify_peer or verify_none, not \"\(value)\"")
                }
            case "auth_mechanism":
                switch value.lowercased() {
                case "plain": url.tls.useExternalAuth = false
                case "external": url.tls.useExternalAuth = true
                default: throw .invalidURL("unsupported auth_mechanism \"\(value)\"")
                }
            default:
                continue
            }
        }
    }

    private static func decode(_ text: Substring, what: String) throws(AMQPError) -> String {
        guard let decoded = PercentCoding.decode(text) else {
            throw .invalidURL("invalid percent-encoding in the \(what)")
        }
        return decoded
    }
}

/// RFC 3986 percent-encoding of URL components.
enum PercentCoding {
    /// Decodes `%XX` escapes; `nil` when an escape is malformed or the result is not UTF-8.
    static func decode(_ text: Substring) -> String? {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Encodes everything but RFC 3986 unreserved characters.
    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += byte < 16 ? "%0\(hex)" : "%\(hex)"
            }
        }
        return result
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
