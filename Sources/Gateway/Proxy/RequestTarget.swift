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
        var rest = Substring(uri)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var host: String?
        if rest.first != "/" {
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
