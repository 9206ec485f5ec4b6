import Foundation

/// Syntax checks for host names, IP addresses, CIDR ranges and header names.
public enum NetworkSyntax {
    /// A DNS name: dot-separated labels of letters, digits, `-` and `_`, each 1-63 long and not
    /// starting or ending with `-`; at most 253 characters.
    public static func isHostname(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253 else { return false }
        let labels =
            text.hasSuffix(".")
            ? text.dropLast().split(separator: ".", omittingEmptySubsequences: false)
            : text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard (1...63).contains(label.count), label.first != "-", label.last != "-" else { return false }
            return label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }

    /// A dotted-quad IPv4 address.
    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                (1...3).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber }
                    && (Int(part) ?? 256) <= 255
            }
    }

    /// An IPv6 address in text form (with `::` compression and an optional trailing IPv4 part;
    /// no brackets, no zone).
    public static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":") else { return false }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (index, half) in halves.enumerated() where !half.isEmpty {
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            for (position, part) in parts.enumerated() {
                let isLast = index == halves.count - 1 && position == parts.count - 1
                if isLast, part.contains(".") {
                    guard isIPv4(String(part)) else { return false }
                    groups += 2
                    continue
                }
                guard (1...4).contains(part.count), part.allSatisfy(\.isHexDigit) else { return false }
                groups += 1
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }

    /// An IPv4 or IPv6 address, optionally followed by `/prefix` within the family's range.
    public static func isCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = parts.first.map(String.init) else { return false }
        let limit: Int
        if isIPv4(address) {
            limit = 32
        } else if isIPv6(address) {
            limit = 128
        } else {
            return false
        }
        guard parts.count == 2 else { return true }
        guard parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let prefix = Int(parts[1]) else { return false }
        return (0...limit).contains(prefix)
    }

    /// A host for a service or a listener: a host name, an IPv4 address, or an IPv6 address
    /// (bare or in brackets).
    public static func isHost(_ text: String) -> Bool {
        if text.hasPrefix("["), text.hasSuffix("]") { return isIPv6(String(text.dropFirst().dropLast())) }
        return isIPv4(text) || isIPv6(text) || isHostname(text)
    }

    /// An HTTP header name (RFC 9110 token).
    public static func isHeaderName(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (CharacterSet.alphanumerics.contains(scalar)
                        || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
            }
    }

    /// Why `host` cannot be a route host (one leading `*.` or trailing `.*` wildcard and an
    /// optional `:port` allowed), or `nil` when it can.
    public static func routeHostProblem(_ host: String) -> String? {
        var name = Substring(host)
        if let colon = name.lastIndex(of: ":"), !name.hasPrefix("[") {
            let port = name[name.index(after: colon)...]
            guard let number = Int(port), (1...65535).contains(number) else { return "invalid port in host" }
            name = name[..<colon]
        }
        let stars = name.filter { $0 == "*" }.count
        if stars > 1 || (stars == 1 && !name.hasPrefix("*.") && !name.hasSuffix(".*")) {
            return "only one leading \"*.\" or trailing \".*\" wildcard is allowed"
        }
        if name.hasPrefix("*.") { name = name.dropFirst(2) } else if name.hasSuffix(".*") { name = name.dropLast(2) }
        return isHost(String(name)) ? nil : "not a valid host name"
    }
}

/// A host and port, as in `127.0.0.1:8000`, `example.com:80` or `[::1]:8080`.
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    /// The host, without brackets for IPv6.
    public var host: String
    /// The port.
    public var port: Int

    /// Creates a host and port.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// The host and the port text of `HOST[:PORT]`, brackets removed; `nil` when malformed.
    public static func split(_ text: String) -> (host: String, port: String?)? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (host, nil) }
            guard rest.hasPrefix(":") else { return nil }
            return (host, String(rest.dropFirst()))
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (text, nil)
        case 2: return (String(parts[0]), String(parts[1]))
        default: return (text, nil)  // a bare IPv6 address
        }
    }

    /// Parses `HOST:PORT` (or `HOST` when `defaultPort` is given) with a valid host and a port
    /// from 1 to 65535 (from 0 for a listening address, where 0 asks for any free port).
    public static func parse(_ text: String, defaultPort: Int? = nil, listening: Bool = false) -> HostPort? {
        guard let (host, portText) = split(text), NetworkSyntax.isHost(host) else { return nil }
        guard let portText else { return defaultPort.map { HostPort(host: host, port: $0) } }
        guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText),
            ((listening ? 0 : 1)...65535).contains(port)
        else { return nil }
        return HostPort(host: host, port: port)
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
