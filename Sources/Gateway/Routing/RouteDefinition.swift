/// One route as the configuration declares it, with Kong's fields and defaults.
///
/// A request matches the route when every condition that is set matches: one of the `methods`,
/// one of the `hosts`, every header name in `headers` (with one of its values), and one of the
/// `paths`. An empty field is not a condition.
public struct RouteDefinition: Sendable, Hashable {
    /// The caller's handle for the route (an index into its own arrays); handed back on a match.
    public var id: Int
    /// Kong's `name`, shown by `pasarela routes`.
    public var name: String?
    /// Exact hosts (`api.example.com`), or with one wildcard label at either end
    /// (`*.example.com`, `example.*`); an optional `:port` must also match. Case-insensitive.
    public var hosts: [String]
    /// HTTP methods (`GET`, `POST`, ...); compared in upper case.
    public var methods: [String]
    /// Header name (case-insensitive) → accepted values. A value matches case-insensitively and
    /// exactly, or, when it starts with `~*`, as a case-insensitive regex searched anywhere in the
    /// request's value (Kong 3). Header names must not include `host` (use `hosts`).
    public var headers: [String: [String]]
    /// Plain paths are string prefixes (`/api` also matches `/apix`) and must already be in
    /// normal form; a path starting with `~` is a regex anchored at the start of the path, and
    /// its named groups become captures.
    public var paths: [String]
    /// Kong's `regex_priority`: among otherwise equal routes, a regex path with a higher value
    /// is tried first. Has no effect on plain paths.
    public var regexPriority: Int
    /// Kong's `strip_path` (default true): the matched part of the path is removed upstream.
    public var stripPath: Bool

    public init(
        id: Int,
        name: String? = nil,
        hosts: [String] = [],
        methods: [String] = [],
        headers: [String: [String]] = [:],
        paths: [String] = [],
        regexPriority: Int = 0,
        stripPath: Bool = true
    ) {
        self.id = id
        self.name = name
        self.hosts = hosts
        self.methods = methods
        self.headers = headers
        self.paths = paths
        self.regexPriority = regexPriority
        self.stripPath = stripPath
    }
}
