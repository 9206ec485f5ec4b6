/// The route a request matched, and what the match found.
public struct RouteMatch: Sendable, Hashable {
    /// The matched route's `RouteDefinition.id`.
    public var routeID: Int
    /// The position of the winning entry in `RouteTable.orderedEntries`.
    public var entryIndex: Int
    /// The part of the path the route matched: the plain prefix, or the regex's whole match;
    /// nil when the route has no paths. `strip_path` removes this part.
    public var matchedPath: String?
    /// The route's `strip_path`.
    public var stripPath: Bool
    /// The regex's capture groups (empty for plain paths and regexes without groups).
    public var captures: RouteCaptures

    public init(routeID: Int, entryIndex: Int, matchedPath: String?, stripPath: Bool, captures: RouteCaptures = RouteCaptures()) {
        self.routeID = routeID
        self.entryIndex = entryIndex
        self.matchedPath = matchedPath
        self.stripPath = stripPath
        self.captures = captures
    }
}

/// Capture groups of a regex path match, as Kong's `uri_captures` (without the whole match).
public struct RouteCaptures: Sendable, Hashable {
    /// Named groups that took part in the match (`(?<user_id>\d+)` → `["user_id": "42"]`).
    public var named: [String: String]
    /// Every group by number: `numbered[0]` is group 1; nil where an optional group did not take
    /// part in the match. Named groups are numbered too, as in PCRE.
    public var numbered: [String?]

    public init(named: [String: String] = [:], numbered: [String?] = []) {
        self.named = named
        self.numbered = numbered
    }

    /// Whether the regex had no groups (or the path was plain).
    public var isEmpty: Bool { numbered.isEmpty }

    /// The groups of a regex match.
    init(_ output: AnyRegexOutput) {
        guard output.count > 1 else {
            self.init()
            return
        }
        var named: [String: String] = [:]
        var numbered: [String?] = []
        numbered.reserveCapacity(output.count - 1)
        for group in output.dropFirst() {
            let value = group.substring.map(String.init)
            numbered.append(value)
            if let name = group.name, let value { named[name] = value }
        }
        self.init(named: named, numbered: numbered)
    }
}
