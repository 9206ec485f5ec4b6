import NIOHTTP1

/// Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only, never forwarded.
enum HopByHop {
    static let names: [String] = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    /// Removes the standard hop-by-hop headers and every header the `Connection` header names.
    /// One pass over the headers; nothing is allocated when there is nothing to remove (the common case).
    static func strip(_ headers: inout HTTPHeaders) {
        var found = false
        var connectionTokens: [String] = []
        for header in headers where isHopByHop(header.name) {
            found = true
            if equalsLowercase(header.name, "connection") {
                for token in header.value.split(separator: ",") {
                    let name = token.trimmingSpaces.lowercased()
                    if !name.isEmpty, name != "close", name != "keep-alive" { connectionTokens.append(name) }
                }
            }
        }
        guard found else { return }
        for name in names { headers.remove(name: name) }
        for name in connectionTokens { headers.remove(name: name) }
    }

    /// Whether `name` is one of ``names``, compared without allocating.
    static func isHopByHop(_ name: String) -> Bool {
        switch name.utf8.count {
        case 2: return equalsLowercase(name, "te")
        case 7: return equalsLowercase(name, "trailer") || equalsLowercase(name, "upgrade")
        case 10: return equalsLowercase(name, "connection") || equalsLowercase(name, "keep-alive")
        case 16: return equalsLowercase(name, "proxy-connection")
        case 17: return equalsLowercase(name, "transfer-encoding")
        case 18: return equalsLowercase(name, "proxy-authenticate")
        case 19: return equalsLowercase(name, "proxy-authorization")
        default: return false
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
