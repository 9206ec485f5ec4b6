/// One entry of a route's `hosts`, parsed: exact or with a wildcard label, with an optional port.
struct HostPattern: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// `api.example.com`
        case exact
        /// `*.example.com`: the request host ends with `.example.com` (the text kept here).
        case suffix
        /// `example.*`: the request host starts with `example.` (the text kept here).
        case prefix
    }

    let kind: Kind
    /// Lower-cased host text, without the `*` and without the port.
    let text: String
    /// When set, the request's port must be this one.
    let port: Int?

    var isWildcard: Bool { kind != .exact }

    /// Parses a route host, or explains why it is not one.
    static func parse(_ raw: String) throws(InvalidRouteValue) -> HostPattern {
        let lowered = ASCII.lowercased(raw)
        var host = Substring(lowered)
        var port: Int?
        let portSearchStart = host.hasPrefix("[") ? (host.firstIndex(of: "]") ?? host.endIndex) : host.startIndex
        if let colon = host[portSearchStart...].lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]), (1...65535).contains(value) else {
                throw InvalidRouteValue("invalid port number in '\(raw)'")
            }
            port = value
            host = host[..<colon]
        }
        guard !host.isEmpty else { throw InvalidRouteValue("invalid hostname: '\(raw)'") }
        guard !host.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == ASCII.slash }) else {
            throw InvalidRouteValue("invalid hostname: '\(raw)'")
        }
        let stars = host.utf8.count(where: { $0 == ASCII.asterisk })
        if stars == 0 {
            return HostPattern(kind: .exact, text: String(host), port: port)
        }
        let invalid = "invalid wildcard: must be placed at leftmost or rightmost label"
        guard stars == 1, host.utf8.count > 2 else { throw InvalidRouteValue(invalid) }
        if host.hasPrefix("*.") {
            return HostPattern(kind: .suffix, text: String(host.dropFirst()), port: port)
        }
        if host.hasSuffix(".*") {
            return HostPattern(kind: .prefix, text: String(host.dropLast()), port: port)
        }
        throw InvalidRouteValue(invalid)
    }

    /// Whether a request for `host` (lower-cased, no port) on `port` matches.
    @inline(__always)
    func matches(host: String, port: Int?) -> Bool {
        if let wanted = self.port, wanted != port { return false }
        switch kind {
        case .exact:
            return host == text
        case .suffix:
            let utf8 = host.utf8
            return utf8.count > text.utf8.count && utf8.reversed().starts(with: text.utf8.reversed())
        case .prefix:
            let utf8 = host.utf8
            return utf8.count > text.utf8.count && utf8.starts(with: text.utf8)
        }
    }

    /// The host as written in the configuration (lower-cased), for `pasarela routes`.
    var display: String {
        let core: String
        switch kind {
        case .exact: core = text
        case .suffix: core = "*" + text
        case .prefix: core = text + "*"
        }
        return port.map { "\(core):\($0)" } ?? core
    }
}
