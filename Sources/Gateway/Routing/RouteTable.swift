/// The compiled routing table: Kong's `traditional_compatible` route order, plus indexes that
/// find the candidates for a request without looking at every route.
///
/// Built once per configuration and then only read, from every event loop. Entries (one per
/// route path) are ranked by `RoutePriority`; a request is matched by the best-ranked entry
/// whose every condition holds. Candidates come from prefix tries keyed by each entry's plain
/// prefix (or a regex's literal lead, "" for routes without paths), so the cost of a lookup is
/// the path's length plus the candidates actually examined, not the number of routes. Routes
/// whose hosts are all exact are kept in a per-host trie, found by dictionary lookup. The one
/// linear part: regex paths without a literal lead (`~(?i)/x`, `~.*`) are tried for every
/// request, as are routes that set no path at all.
public struct RouteTable: Sendable {
    let routes: [CompiledRoute]
    /// All entries, best first: an entry's rank is its index here.
    let entries: [RouteEntry]
    /// The same entries as plain integers, for the hot path.
    let candidates: [RouteCandidate]
    /// The regexes of regex entries, indexed by `RouteCandidate.regexIndex`.
    let regexes: [RouteRegex]
    /// Entries of routes without hosts or with a wildcard host.
    let anyHost: PrefixTrie
    /// Entries of routes whose hosts are all exact, under each of those hosts.
    let byHost: [String: PrefixTrie]

    /// The table in match order, for `pasarela routes`.
    public let orderedEntries: [OrderedRouteEntry]

    /// An empty table: every request is unmatched.
    public static let empty = RouteTable(routes: [])

    /// Compiles `definitions`, or throws every problem of every route.
    public init(_ definitions: [RouteDefinition]) throws(RouteTableError) {
        var routes: [CompiledRoute] = []
        var problems: [RouteDefinitionProblem] = []
        for (order, definition) in definitions.enumerated() {
            switch CompiledRoute.compile(definition, order: order) {
            case .success(let route): routes.append(route)
            case .failure(let error): problems.append(contentsOf: error.problems)
            }
        }
        guard problems.isEmpty else { throw RouteTableError(problems: problems) }
        self.init(routes: routes)
    }

    private init(routes: [CompiledRoute]) {
        var entries: [RouteEntry] = []
        for (routeIndex, route) in routes.enumerated() {
            if route.paths.isEmpty {
                entries.append(
                    RouteEntry(
                        routeIndex: routeIndex,
                        pathIndex: nil,
                        path: nil,
                        priority: RoutePriority(route: route, path: nil, pathIndex: 0)
                    )
                )
            }
            for (pathIndex, path) in route.paths.enumerated() {
                entries.append(
                    RouteEntry(
                        routeIndex: routeIndex,
                        pathIndex: pathIndex,
                        path: path,
                        priority: RoutePriority(route: route, path: path, pathIndex: pathIndex)
                    )
                )
            }
        }
        entries.sort { $0.priority < $1.priority }

        var anyHostKeys: [(key: String, rank: Int32)] = []
        var hostKeys: [String: [(key: String, rank: Int32)]] = [:]
        for (rank, entry) in entries.enumerated() {
            let key = (key: entry.triePrefix, rank: Int32(rank))
            let hosts = routes[entry.routeIndex].hosts
            if hosts.isEmpty || hosts.contains(where: \.isWildcard) {
                anyHostKeys.append(key)
            } else {
                // A route listing the same host twice (with different ports) goes in once.
                for host in Set(hosts.map(\.text)) { hostKeys[host, default: []].append(key) }
            }
        }
        var candidates: [RouteCandidate] = []
        var regexes: [RouteRegex] = []
        for entry in entries {
            var regexIndex: Int32 = -1
            if case .regex(let regex) = entry.path {
                regexIndex = Int32(regexes.count)
                regexes.append(regex)
            }
            candidates.append(RouteCandidate(routeIndex: Int32(entry.routeIndex), regexIndex: regexIndex))
        }
        self.routes = routes
        self.entries = entries
        self.candidates = candidates
        self.regexes = regexes
        self.anyHost = PrefixTrie(anyHostKeys)
        self.byHost = hostKeys.mapValues { PrefixTrie($0) }
        self.orderedEntries = entries.map { OrderedRouteEntry(route: routes[$0.routeIndex], pathIndex: $0.pathIndex) }
    }

    /// The number of entries (route paths) in the table.
    public var count: Int { entries.count }
}
