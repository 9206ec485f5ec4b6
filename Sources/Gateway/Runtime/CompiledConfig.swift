import Foundation
import NIOHTTP1

/// The running configuration as the proxy sees it: one immutable value (route table, routes with
/// their plugin chains, services, consumers, settings) swapped as a whole on reload.
public final class CompiledConfig: Sendable {
    /// The `pasarela:` settings.
    public let settings: ProxySettings
    /// The routing table (indices are positions in ``routes``).
    public let routeTable: RouteTable
    /// Routes in configuration order.
    public let routes: [ProxyRoute]
    /// Global plugins (run for requests no route matched: response and log phases).
    public let globalChain: PluginChain
    /// Consumers in configuration order.
    public let consumers: [Consumer]
    /// The declarative configuration it was compiled from.
    public let declaration: GatewayConfig
    /// The file it came from.
    public let sourceFile: String
    /// When it was compiled.
    public let loadedAt: Date

    init(
        settings: ProxySettings,
        routeTable: RouteTable,
        routes: [ProxyRoute],
        globalChain: PluginChain,
        consumers: [Consumer],
        declaration: GatewayConfig,
        sourceFile: String
    ) {
        self.settings = settings
        self.routeTable = routeTable
        self.routes = routes
        self.globalChain = globalChain
        self.consumers = consumers
        self.declaration = declaration
        self.sourceFile = sourceFile
        self.loadedAt = Date()
    }

    /// The route a request matches and what follows from it, or nil (404).
    public func resolve<Headers: RouteHeaders>(method: String, host: String, path: String, headers: Headers) -> RouteResolution? {
        let request = RouteRequest(method: method, host: host, path: path, headers: headers)
        guard let match = routeTable.match(request), routes.indices.contains(match.routeID) else { return nil }
        let route = routes[match.routeID]
        let upstreamPath = RouteTable.upstreamPath(for: match, requestPath: path, servicePath: route.service?.path)
        let stripped: String?
        if match.stripPath, let matched = match.matchedPath, matched != "/" {
            stripped = matched
        } else {
            stripped = nil
        }
        return RouteResolution(
            route: route,
            upstreamPath: upstreamPath,
            strippedPrefix: stripped,
            captures: match.captures.named
        )
    }

    /// The routing table in match order, one row per (route, path), for `pasarela routes` and the
    /// admin API. Header values are not shown (they may hold secrets).
    public var routeSummaries: [RouteSummary] {
        routeTable.orderedEntries.map { entry in
            let route = routes.indices.contains(entry.routeID) ? routes[entry.routeID] : nil
            return RouteSummary(
                route: entry.routeID,
                name: entry.name,
                service: route?.service?.name,
                conditions: entry.summary(showingHeaderValues: false),
                plugins: route?.chain.entries.map(\.name) ?? []
            )
        }
    }

    /// Services as the admin API shows them (no credentials).
    public var serviceSummaries: [[String: Any]] {
        declaration.services.map { service in
            var object: [String: Any] = [
                "protocol": service.protocol.rawValue, "host": service.host, "port": service.port,
                "connect_timeout": service.connectTimeout, "read_timeout": service.readTimeout,
                "write_timeout": service.writeTimeout, "retries": service.retries,
            ]
            if let name = service.name { object["name"] = name }
            if let path = service.path { object["path"] = path }
            return object
        }
    }

    /// `pasarela routes`: the table in match order.
    public func routesTable() -> String {
        var lines = ["#   ROUTE                      SERVICE                MATCH"]
        for (index, row) in routeSummaries.enumerated() {
            let name = (row.name ?? "#\(row.route)").padding(toLength: 26, withPad: " ", startingAt: 0)
            let service = (row.service ?? "-").padding(toLength: 22, withPad: " ", startingAt: 0)
            let number = String(index + 1).padding(toLength: 3, withPad: " ", startingAt: 0)
            var line = "\(number) \(name) \(service) \(row.conditions)"
            if !row.plugins.isEmpty { line += "  plugins: " + row.plugins.joined(separator: ",") }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// One line for `pasarela validate`.
    public var summaryLine: String {
        let plugins = declaration.plugins.count
        return "\(declaration.services.count) services, \(routes.count) routes, \(declaration.upstreams.count) upstreams, "
            + "\(consumers.count) consumers, \(plugins) plugins"
    }
}

/// The outcome of routing one request.
public struct RouteResolution: Sendable {
    /// The matched route.
    public let route: ProxyRoute
    /// The path to send upstream (after `strip_path`, joined to the service path).
    public let upstreamPath: String
    /// What `strip_path` removed, if anything.
    public let strippedPrefix: String?
    /// Named captures of a regex path.
    public let captures: [String: String]
}

extension HTTPHeaders: RouteHeaders {
    public func containsValue(forName name: String, where predicate: (Substring) -> Bool) -> Bool {
        for header in self where header.name.utf8.count == name.utf8.count && header.name.lowercased() == name {
            if predicate(Substring(header.value)) { return true }
        }
        return false
    }
}

/// The proxy's heads, parsed in place: a header condition reads the fields where they are (a
/// String is made only for a field with the condition's name).
extension RawRequestHead: RouteHeaders {
    func containsValue(forName name: String, where predicate: (Substring) -> Bool) -> Bool {
        for field in fields where self.field(field, isNamed: name) {
            if predicate(Substring(value(of: field))) { return true }
        }
        return false
    }
}

/// One row of the routing table.
public struct RouteSummary: Sendable {
    /// Index of the route in the configuration.
    public let route: Int
    /// The route's name.
    public let name: String?
    /// Its service's name.
    public let service: String?
    /// Its conditions (methods, hosts, header names, path).
    public let conditions: String
    /// The plugins that run on it, in order.
    public let plugins: [String]

    var jsonObject: [String: Any] {
        var object: [String: Any] = ["route": route, "match": conditions, "plugins": plugins]
        if let name { object["name"] = name }
        if let service { object["service"] = service }
        return object
    }
}
