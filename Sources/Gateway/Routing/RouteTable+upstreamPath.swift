extension RouteTable {
    /// `path` with the matched part removed, as Kong's `strip_path` does for a service whose path
    /// is "/": `/users` matched on `/users/1` gives `/1`, on `/users` gives `/`, on `/usersx`
    /// gives `/x`. Always starts with "/". A match without a path strips nothing.
    ///
    /// `path` must be the normalised path the match was made on.
    public static func strippedPath(for match: RouteMatch, path: String) -> String {
        let rest = postfix(of: path, after: match.matchedPath ?? "/")
        if rest.isEmpty { return "/" }
        return rest.utf8.first == ASCII.slash ? String(rest) : "/" + rest
    }

    /// The path to send upstream, per Kong (`get_upstream_uri_v0` in `kong/router/utils.lua`):
    /// the service's path joined with the request path, stripped of the matched part when the
    /// route's `strip_path` is on. `servicePath` nil means "/".
    ///
    /// Examples (service path → request → upstream): `/` + `/users/1` stripped of `/users` →
    /// `/1`; `/base` + `/users` stripped → `/base`; `/base/` + `/users/` stripped → `/base/`;
    /// `/base` + `/users/1` not stripped → `/base/users/1`.
    public static func upstreamPath(for match: RouteMatch, requestPath: String, servicePath: String?) -> String {
        let base = servicePath.flatMap { $0.isEmpty ? nil : $0 } ?? "/"
        let requestEndsWithSlash = requestPath.utf8.last == ASCII.slash
        if base.utf8.last == ASCII.slash {
            guard match.stripPath else { return base + requestPath.dropFirst() }
            let rest = postfix(of: requestPath, after: match.matchedPath ?? "/")
            if rest.isEmpty {
                if base == "/" { return "/" }
                return requestEndsWithSlash ? base : String(base.dropLast())
            }
            return rest.utf8.first == ASCII.slash ? String(base.dropLast()) + rest : base + rest
        }
        guard match.stripPath else { return requestPath == "/" ? base : base + requestPath }
        let rest = postfix(of: requestPath, after: match.matchedPath ?? "/")
        if rest.isEmpty {
            return requestPath.utf8.count > 1 && requestEndsWithSlash ? base + "/" : base
        }
        return rest.utf8.first == ASCII.slash ? base + rest : base + "/" + rest
    }

    /// What follows `prefix` in `path`, with Kong's `sanitize_uri_postfix`: a leftover `.`/`..`
    /// or leading `./`/`../` is dropped, so stripping never produces a dot segment.
    static func postfix(of path: String, after prefix: String) -> Substring {
        let utf8 = path.utf8
        let skip = min(prefix.utf8.count, utf8.count)
        let rest = path[utf8.index(utf8.startIndex, offsetBy: skip)...]
        var bytes = rest.utf8.makeIterator()
        guard bytes.next() == ASCII.dot else { return rest }
        switch bytes.next() {
        case nil: return ""
        case ASCII.slash: return rest.dropFirst(2)
        case ASCII.dot:
            switch bytes.next() {
            case nil: return ""
            case ASCII.slash: return rest.dropFirst(3)
            default: return rest
            }
        default: return rest
        }
    }
}
