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

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var view = self
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return view
    }
}
