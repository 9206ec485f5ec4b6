/// A request-target split into the normalised path, the raw query and (absolute-form only) the host.
struct RequestTarget {
    /// The normalised path (what routes match against).
    let path: String
    /// The raw query string without `?`, if any.
    let query: String?
    /// The host of an absolute-form target (`GET http://host/path`).
    let host: String?

    /// Parses origin-form (`/a/b?x`) and absolute-form targets; nil for anything else or a path that
    /// does not normalise (bad percent-encoding), which the caller answers with 400.
    init?(_ uri: String) {
        // Searched as bytes: `#`, `?` and `/` are ASCII, and a UTF-8 index of one is a valid
        // String index (a Character search would run grapheme breaking over the whole target).
        var rest = Substring(uri)
        if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }
        var query: Substring?
        if let mark = rest.utf8.firstIndex(of: UInt8(ascii: "?")) {
            query = rest[rest.utf8.index(after: mark)...]
            rest = rest[..<mark]
        }
        var host: String?
        if rest.utf8.first != UInt8(ascii: "/") {
            guard let absolute = PathNormalizer.splitAbsoluteForm(rest) else { return nil }
            host = String(absolute.host)
            rest = absolute.path.isEmpty ? "/" : absolute.path
        }
        guard let normalized = try? PathNormalizer.normalize(rest) else { return nil }
        self.path = String(normalized)
        self.query = query.map(String.init)
        self.host = host
    }
}
