import NIOHTTP1

/// Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only, never forwarded.
enum HopByHop {
    static let names: [String] = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    /// Removes the standard hop-by-hop headers and every header the `Connection` header names.
    static func strip(_ headers: inout HTTPHeaders) {
        if headers.contains(name: "connection") {
            for value in headers["connection"] {
                for token in value.split(separator: ",") {
                    let name = token.trimmingSpaces.lowercased()
                    if !name.isEmpty, name != "close", name != "keep-alive" { headers.remove(name: name) }
                }
            }
        }
        for name in names where headers.contains(name: name) { headers.remove(name: name) }
    }
}

extension HTTPHeaders {
    /// Whether `Transfer-Encoding` names `chunked` (case-insensitive), without Foundation.
    var hasChunkedTransferEncoding: Bool {
        for header in self where header.name.utf8.count == 17 && header.name.lowercased() == "transfer-encoding" {
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
