/// A reason a `RouteDefinition` cannot be compiled, precise enough for the config validator to
/// point at the offending value (`services[0].routes[1].paths[0]`).
public struct RouteDefinitionProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field the problem is in; `route` for problems with the route as a whole.
    public enum Field: String, Sendable, Hashable {
        case route, hosts, methods, headers, paths
    }

    /// The `id` of the route.
    public var routeID: Int
    /// The field holding the bad value.
    public var field: Field
    /// For `headers`, the header name as written.
    public var key: String?
    /// The position of the bad value in the field's array (for `headers`, in that header's values).
    public var index: Int?
    /// What is wrong, in Kong's words where Kong has some.
    public var message: String

    public init(routeID: Int, field: Field, key: String? = nil, index: Int? = nil, message: String) {
        self.routeID = routeID
        self.field = field
        self.key = key
        self.index = index
        self.message = message
    }

    public var description: String {
        var location = field.rawValue
        if let key { location += ".\(key)" }
        if let index { location += "[\(index)]" }
        return "route \(routeID): \(location): \(message)"
    }
}

/// Thrown by `RouteTable.init` with every problem of every route.
public struct RouteTableError: Error, Sendable, Hashable, CustomStringConvertible {
    /// All problems, in route order then field order.
    public var problems: [RouteDefinitionProblem]

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

/// Why one value of a route (a host, a path) is invalid; becomes a `RouteDefinitionProblem`.
struct InvalidRouteValue: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
