/// One (route, path) pair of the table: a route with several paths has one entry per path, as
/// Kong's compat router splits routes by path before ranking them. A route without paths has
/// one entry with `path == nil`.
struct RouteEntry: Sendable {
    /// Index into `RouteTable.routes`.
    let routeIndex: Int
    /// Index into the route's `paths`, or nil for a route without paths.
    let pathIndex: Int?
    let path: PathPattern?
    let priority: RoutePriority

    /// The key under which the entry sits in the prefix trie: every path it can match starts
    /// with it ("" for routes without paths and for regexes with no literal lead).
    var triePrefix: String { path?.triePrefix ?? "" }
}

/// The hot-path view of an entry: plain integers, so that examining a candidate costs no
/// reference counting.
struct RouteCandidate: Sendable {
    /// Index into `RouteTable.routes`.
    let routeIndex: Int32
    /// Index into `RouteTable.regexes`, or -1 when the path is plain or absent.
    let regexIndex: Int32
}

/// One row of the compiled routing table in match order, for `pasarela routes`.
public struct OrderedRouteEntry: Sendable, Hashable, CustomStringConvertible {
    /// The route's `RouteDefinition.id`.
    public var routeID: Int
    /// The route's name.
    public var name: String?
    /// This entry's path as written (`/users`, `~/users/(?<id>\d+)$`), nil for a route without paths.
    public var path: String?
    /// Upper-cased methods; empty when any method matches.
    public var methods: [String]
    /// Lower-cased hosts; empty when any host matches.
    public var hosts: [String]
    /// Header conditions, sorted by lower-cased name, with values as written.
    public var headers: [Header]
    /// The route's `regex_priority`.
    public var regexPriority: Int
    /// The route's `strip_path`.
    public var stripPath: Bool

    /// A header condition.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var values: [String]
    }

    /// The conditions on one line, e.g. `GET,POST api.example.com /users x-version=v1|v2`.
    /// Header values are shown; see `summary(showingHeaderValues:)` to hide them.
    public var description: String { summary(showingHeaderValues: true) }

    /// The conditions on one line; with `showingHeaderValues` false, header conditions show
    /// only their names (header values can be secrets).
    public func summary(showingHeaderValues: Bool) -> String {
        var parts: [String] = []
        parts.append(methods.isEmpty ? "*" : methods.joined(separator: ","))
        parts.append(hosts.isEmpty ? "*" : hosts.joined(separator: ","))
        parts.append(path ?? "*")
        for header in headers {
            parts.append(
                showingHeaderValues
                    ? "\(header.name)=\(header.values.joined(separator: "|"))"
                    : "\(header.name)=…"
            )
        }
        if path?.hasPrefix("~") == true && regexPriority != 0 {
            parts.append("regex_priority=\(regexPriority)")
        }
        if !stripPath { parts.append("strip_path=false") }
        return parts.joined(separator: " ")
    }

    init(route: CompiledRoute, pathIndex: Int?) {
        let definition = route.definition
        routeID = definition.id
        name = definition.name
        path = pathIndex.map { definition.paths[$0] }
        methods = route.methods
        hosts = route.hosts.map(\.display)
        headers = route.headers.map { Header(name: $0.name, values: $0.display) }
        regexPriority = definition.regexPriority
        stripPath = definition.stripPath
    }
}
