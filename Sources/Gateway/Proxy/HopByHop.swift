import NIOHTTP1

/// Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only, never forwarded.
enum HopByHop {
    static let names: [String] = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    /// Removes the standard hop-by-hop headers and every header the `Connection` header names.
    /// Two passes over the headers (hop-by-hop names, then what `Connection` lists), then one removal
    /// per name actually present (usually just `connection`); nothing is allocated when there is
    /// nothing to remove (the common case). The proxy path uses ``endToEnd(_:capacity:keep:)`` instead.
    static func strip(_ headers: inout HTTPHeaders) {
        var present: [String] = []
        for header in headers {
            guard let name = hopByHopName(header.name) else { continue }
            if !present.contains(name) { present.append(name) }
        }
        for named in connectionTokens(headers) where !present.contains(named) { present.append(named) }
        for name in present { headers.remove(name: name) }
    }

    /// The end-to-end headers of `source`, in order, that `keep` accepts: the standard hop-by-hop
    /// headers and every header a `Connection` header names are left out (in one pass; a name listed
    /// after its header is removed at the end). `capacity` reserves room for headers the caller adds.
    /// Also returns the names `Connection` listed, lower case (usually none).
    static func endToEnd(
        _ source: HTTPHeaders,
        capacity: Int,
        keep: (_ name: String, _ value: String) -> Bool
    ) -> (headers: HTTPHeaders, connectionNamed: [String]) {
        var connectionNamed: [String] = []
        var headers = HTTPHeaders()
        headers.reserveCapacity(capacity)
        for header in source {
            let name = header.name
            if let hopByHop = hopByHopName(name) {
                if hopByHop == "connection" { appendConnectionTokens(of: header.value, to: &connectionNamed) }
                continue
            }
            if !connectionNamed.isEmpty, connectionNamed.contains(where: { ASCII.equalsIgnoringCase(name, $0) }) {
                continue
            }
            if keep(name, header.value) { headers.add(name: name, value: header.value) }
        }
        for named in connectionNamed { headers.remove(name: named) }
        return (headers, connectionNamed)
    }

    /// The header names every `Connection` header lists (lower case, without `close` and
    /// `keep-alive`): hop-by-hop for this message too. Empty, and nothing allocated, without them.
    static func connectionTokens(_ headers: HTTPHeaders) -> [String] {
        var tokens: [String] = []
        for header in headers where equalsLowercase(header.name, "connection") {
            appendConnectionTokens(of: header.value, to: &tokens)
        }
        return tokens
    }

    /// Adds the header names one `Connection` value lists to `tokens` (lower case, once each;
    /// `close` and `keep-alive` are options, not names).
    static func appendConnectionTokens(of value: String, to tokens: inout [String]) {
        // Nearly every message says just `keep-alive` or `close`: answered without splitting or
        // allocating anything.
        if equalsLowercase(value, "keep-alive") || equalsLowercase(value, "close") { return }
        for token in value.split(separator: ",") {
            let named = token.trimmingSpaces.lowercased()
            if !named.isEmpty, named != "close", named != "keep-alive", !tokens.contains(named) {
                tokens.append(named)
            }
        }
    }

    /// The lower-case form of `name` when it is one of ``names`` (a constant: nothing is allocated).
    static func hopByHopName(_ name: String) -> String? {
        hopByHopName(length: name.utf8.count) { equalsLowercase(name, $0) }
    }

    /// The one list behind both forms (a name as a String, or as bytes of a head): the lower-case
    /// hop-by-hop name that a name of `length` bytes is, asking `named` whether it is a given one
    /// (lower-case ASCII, compared ignoring case).
    static func hopByHopName(length: Int, named: (StaticString) -> Bool) -> String? {
        switch length {
        case 2: return named("te") ? "te" : nil
        case 7:
            if named("trailer") { return "trailer" }
            return named("upgrade") ? "upgrade" : nil
        case 10:
            if named("connection") { return "connection" }
            return named("keep-alive") ? "keep-alive" : nil
        case 16: return named("proxy-connection") ? "proxy-connection" : nil
        case 17: return named("transfer-encoding") ? "transfer-encoding" : nil
        case 18: return named("proxy-authenticate") ? "proxy-authenticate" : nil
        case 19: return named("proxy-authorization") ? "proxy-authorization" : nil
        default: return nil
        }
    }

    /// ASCII case-insensitive equality with an already lower-case string.
    @inline(__always)
    static func equalsLowercase(_ value: String, _ lowercase: StaticString) -> Bool {
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        return value.utf8.count == expected.count
            && value.utf8.elementsEqual(expected) { ($0 | (($0 >= 0x41 && $0 <= 0x5A) ? 0x20 : 0)) == $1 }
    }
}

/// The same rules on a head parsed in place (the byte-level path): names as byte ranges.
extension HopByHop {
    /// Whether the name at `range` of `head` is one of ``names`` (nothing allocated).
    static func isHopByHop(_ head: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        hopByHopName(length: range.count) { WireText.equalsLowercase(head, range, $0) } != nil
    }

    /// The names the `Connection` fields of `head` list, other than `close` and `keep-alive`:
    /// hop-by-hop for this message too. Empty, and nothing allocated, without them.
    static func connectionNamed(_ head: UnsafeRawBufferPointer, _ fields: [RawField]) -> [Range<Int>] {
        var named: [Range<Int>] = []
        for field in fields where WireText.equalsLowercase(head, field.name, "connection") {
            WireText.forEachListElement(head, field.value) { token in
                if !WireText.equalsLowercase(head, token, "keep-alive"), !WireText.equalsLowercase(head, token, "close") {
                    named.append(token)
                }
                return true
            }
        }
        return named
    }

    /// Whether the names at `a` and `b` of `head` are the same, ignoring ASCII case.
    static func sameName(_ head: UnsafeRawBufferPointer, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { ASCII.lower(head[$0]) == ASCII.lower(head[$1]) }
    }
}

extension HTTPHeaders {
    /// Whether `Transfer-Encoding` names `chunked` (case-insensitive), without Foundation.
    var hasChunkedTransferEncoding: Bool {
        for header in self where HopByHop.equalsLowercase(header.name, "transfer-encoding") {
            if header.value.utf8.count >= 7, header.value.lowercased().utf8.contains(subsequence: "chunked".utf8) { return true }
        }
        return false
    }
}

extension Sequence where Element: Equatable {
    /// Whether the elements of `needle` appear consecutively in this sequence.
    func contains<Needle: Collection>(subsequence needle: Needle) -> Bool where Needle.Element == Element {
        let haystack = Array(self)
        let pattern = Array(needle)
        guard !pattern.isEmpty, pattern.count <= haystack.count else { return pattern.isEmpty }
        for start in 0...(haystack.count - pattern.count) where haystack[start] == pattern[0] {
            if haystack[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var view = self
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return view
    }
}
