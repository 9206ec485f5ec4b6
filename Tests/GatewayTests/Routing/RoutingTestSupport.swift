@testable import Gateway

/// Builds a table from `definitions`.
func makeTable(_ definitions: [RouteDefinition]) throws -> RouteTable {
    try RouteTable(definitions)
}

extension RouteTable {
    /// The id of the route matching a GET for `path`, or nil.
    func routeID(
        _ path: String,
        host: String = "example.com",
        port: Int? = nil,
        headers: [String: [String]] = [:]
    ) -> Int? {
        routeID("GET", path, host: host, port: port, headers: headers)
    }

    /// The id of the route matching the request, or nil.
    func routeID(
        _ method: String,
        _ path: String,
        host: String = "example.com",
        port: Int? = nil,
        headers: [String: [String]] = [:]
    ) -> Int? {
        match(RouteRequest(method: method, host: host, port: port, path: path, headers: headers))?.routeID
    }

    /// Route ids in match order, one per entry.
    var orderedRouteIDs: [Int] { orderedEntries.map(\.routeID) }
}
