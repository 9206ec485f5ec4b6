/// One configured, enabled plugin instance and where it is attached.
public struct ScopedPlugin: Sendable {
    /// The instance.
    public let plugin: any Plugin
    /// Where it is attached (indices into the configuration's services, routes and consumers).
    public let scope: PluginScope

    /// Pairs an instance with its scope.
    public init(plugin: any Plugin, scope: PluginScope) {
        self.plugin = plugin
        self.scope = scope
    }
}

extension PluginScope {
    /// Whether the instance applies to requests on this route and service (the consumer is checked
    /// at run time).
    func applies(route routeIndex: Int?, service serviceIndex: Int?) -> Bool {
        if let route, route != routeIndex { return false }
        if let service, service != serviceIndex { return false }
        return true
    }
}

extension PluginChain {
    /// Resolves Kong's scoping for one route: for each plugin name, the best instance without a
    /// consumer, and for each consumer the instance that beats it (Kong's precedence:
    /// consumer+route+service > consumer+route > consumer+service > route+service > consumer > route
    /// > service > global). `consumerIDs` maps consumer indices to their ids.
    public init(resolving plugins: [ScopedPlugin], route routeIndex: Int?, service serviceIndex: Int?, consumerIDs: [String]) {
        var byName: [String: [ScopedPlugin]] = [:]
        var order: [String] = []
        for candidate in plugins where candidate.scope.applies(route: routeIndex, service: serviceIndex) {
            if byName[candidate.plugin.name] == nil { order.append(candidate.plugin.name) }
            byName[candidate.plugin.name, default: []].append(candidate)
        }
        var entries: [Entry] = []
        for name in order {
            guard let candidates = byName[name], let first = candidates.first else { continue }
            let best = candidates.filter { $0.scope.consumer == nil }.max { $0.scope.precedence < $1.scope.precedence }
            let bestPrecedence = best?.scope.precedence ?? -1
            var perConsumer: [String: ScopedPlugin] = [:]
            for candidate in candidates {
                guard let consumer = candidate.scope.consumer, consumerIDs.indices.contains(consumer),
                    candidate.scope.precedence > bestPrecedence
                else { continue }
                let id = consumerIDs[consumer]
                if let current = perConsumer[id], current.scope.precedence >= candidate.scope.precedence { continue }
                perConsumer[id] = candidate
            }
            entries.append(
                Entry(
                    name: name,
                    priority: first.plugin.priority,
                    defaultInstance: best?.plugin,
                    consumerInstances: perConsumer.mapValues(\.plugin)
                )
            )
        }
        self.init(entries: entries)
    }
}
