/// Where an entry stands in Kong's `traditional_compatible` order (`kong/router/transform.lua`,
/// `get_priority`), with file order as the last tie-break. `a < b` means a is tried first.
struct RoutePriority: Comparable, Sendable {
    /// How many of methods, hosts, headers, paths are set: more first.
    var matchWeight: Int
    /// Hosts set and none with a wildcard: first.
    var plainHostsOnly: Bool
    /// Number of header names: more first.
    var headerCount: Int
    /// This entry's path is a regex: before plain paths.
    var isRegex: Bool
    /// `regex_priority`, counted only for regex entries: higher first.
    var regexPriority: Int
    /// Length of the plain prefix in bytes (0 for regex entries): longer first.
    var prefixLength: Int
    /// Position of the route in the definitions: earlier first.
    var order: Int
    /// Position of the path in the route's `paths`: earlier first.
    var pathIndex: Int

    init(route: CompiledRoute, path: PathPattern?, pathIndex: Int) {
        matchWeight = route.matchWeight
        plainHostsOnly = route.hasPlainHostsOnly
        headerCount = route.headers.count
        order = route.order
        self.pathIndex = pathIndex
        switch path {
        case .regex:
            isRegex = true
            regexPriority = route.definition.regexPriority
            prefixLength = 0
        case .prefix(let prefix):
            isRegex = false
            regexPriority = 0
            prefixLength = prefix.utf8.count
        case nil:
            isRegex = false
            regexPriority = 0
            prefixLength = 0
        }
    }

    static func < (a: RoutePriority, b: RoutePriority) -> Bool {
        if a.matchWeight != b.matchWeight { return a.matchWeight > b.matchWeight }
        if a.plainHostsOnly != b.plainHostsOnly { return a.plainHostsOnly }
        if a.headerCount != b.headerCount { return a.headerCount > b.headerCount }
        if a.isRegex != b.isRegex { return a.isRegex }
        if a.regexPriority != b.regexPriority { return a.regexPriority > b.regexPriority }
        if a.prefixLength != b.prefixLength { return a.prefixLength > b.prefixLength }
        if a.order != b.order { return a.order < b.order }
        return a.pathIndex < b.pathIndex
    }
}
