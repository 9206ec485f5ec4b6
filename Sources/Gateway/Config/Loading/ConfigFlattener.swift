/// Turns the file's nested and flat forms into one ``GatewayConfig``: nested routes, targets,
/// credentials and plugins move to their own lists, flat references (`service: users`)
/// become indices, and routes and plugins are put in file order.
struct ConfigFlattener {
    let document: ConfigDocument
    var diagnostics: Diagnostics

    /// Who a plugin was nested in.
    private enum Owner {
        case none
        case service(Int)
        case route(ConfigPath)
        case consumer(Int)
    }

    mutating func flatten(_ raw: DeclarativeConfig) -> GatewayConfig {
        let formatVersion = raw.formatVersion ?? "3.0"
        var plugins: [(PluginDeclaration, Owner)] = raw.plugins.map { ($0, .none) }
        let services = raw.services.enumerated().map { index, service in
            var service = service
            plugins += service.nestedPlugins.map { ($0, .service(index)) }
            service.nestedPlugins = []
            service.nestedRoutes = []
            return service
        }
        let serviceIndex = ReferenceIndex(kind: "service", services) { [$0.name, $0.id] }

        var routes: [RouteConfig] = []
        for (index, service) in raw.services.enumerated() {
            for var route in service.nestedRoutes {
                rejectReference(route.service, nestedIn: "a service")
                route.serviceIndex = index
                routes.append(route)
            }
        }
        for var route in raw.routes {
            route.serviceIndex = route.service.flatMap {
                serviceIndex.resolve($0, document: document, into: &diagnostics)
            }
            routes.append(route)
        }
        routes = inFileOrder(routes, at: \.location).map { route in
            var route = route
            plugins += route.nestedPlugins.map { ($0, .route(route.location)) }
            route.nestedPlugins = []
            if formatVersion != "3.0" { route.paths = route.paths.map(Self.migrateRegexPath) }
            return route
        }

        let upstreams = attachTargets(raw.targets, to: raw.upstreams)
        let consumers = attachCredentials(raw, to: raw.consumers, plugins: &plugins)
        return GatewayConfig(
            formatVersion: formatVersion,
            settings: raw.settings,
            services: services,
            routes: routes,
            upstreams: upstreams,
            consumers: consumers,
            plugins: scoped(plugins, services: services, routes: routes, consumers: consumers),
            document: document
        )
    }

    private mutating func attachTargets(_ flat: [TargetConfig], to upstreams: [UpstreamConfig]) -> [UpstreamConfig] {
        var upstreams = upstreams
        for index in upstreams.indices {
            for target in upstreams[index].targets { rejectReference(target.upstream, nestedIn: "an upstream") }
        }
        let lookup = ReferenceIndex(kind: "upstream", upstreams) { [$0.name, $0.id] }
        for target in flat {
            guard let reference = target.upstream else {
                missingReference("upstream", at: target.location)
                continue
            }
            if let index = lookup.resolve(reference, document: document, into: &diagnostics) {
                upstreams[index].targets.append(target)
            }
        }
        return upstreams
    }

    private mutating func attachCredentials(
        _ raw: DeclarativeConfig,
        to consumers: [ConsumerConfig],
        plugins: inout [(PluginDeclaration, Owner)]
    ) -> [ConsumerConfig] {
        var consumers = consumers
        for index in consumers.indices {
            plugins += consumers[index].nestedPlugins.map { ($0, .consumer(index)) }
            consumers[index].nestedPlugins = []
            let nested =
                consumers[index].jwtSecrets.map(\.consumer) + consumers[index].keyauthCredentials.map(\.consumer)
                + consumers[index].acls.map(\.consumer)
            for reference in nested { rejectReference(reference, nestedIn: "a consumer") }
        }
        let lookup = ReferenceIndex(kind: "consumer", consumers) { [$0.username, $0.id, $0.customID] }
        for credential in raw.jwtSecrets {
            if let index = owner(credential.consumer, credential.location, lookup) {
                consumers[index].jwtSecrets.append(credential)
            }
        }
        for credential in raw.keyauthCredentials {
            if let index = owner(credential.consumer, credential.location, lookup) {
                consumers[index].keyauthCredentials.append(credential)
            }
        }
        for membership in raw.acls {
            if let index = owner(membership.consumer, membership.location, lookup) {
                consumers[index].acls.append(membership)
            }
        }
        return consumers
    }

    private mutating func scoped(
        _ plugins: [(PluginDeclaration, Owner)],
        services: [ServiceConfig],
        routes: [RouteConfig],
        consumers: [ConsumerConfig]
    ) -> [PluginDeclaration] {
        let serviceLookup = ReferenceIndex(kind: "service", services) { [$0.name, $0.id] }
        let routeLookup = ReferenceIndex(kind: "route", routes) { [$0.name, $0.id] }
        let consumerLookup = ReferenceIndex(kind: "consumer", consumers) { [$0.username, $0.id, $0.customID] }
        var routeByLocation: [ConfigPath: Int] = [:]
        for (index, route) in routes.enumerated() { routeByLocation[route.location] = index }

        let resolved = plugins.map { plugin, owner in
            var plugin = plugin
            var scope = PluginScope()
            switch owner {
            case .none: break
            case .service(let index): scope.service = index
            case .route(let location): scope.route = routeByLocation[location]
            case .consumer(let index): scope.consumer = index
            }
            scope.service = resolve(plugin.service, kind: "a service", current: scope.service, serviceLookup)
            scope.route = resolve(plugin.route, kind: "a route", current: scope.route, routeLookup)
            scope.consumer = resolve(plugin.consumer, kind: "a consumer", current: scope.consumer, consumerLookup)
            plugin.scope = scope
            return plugin
        }
        return inFileOrder(resolved, at: \.location)
    }

    /// The scope index for a plugin's reference, unless the plugin is already nested in that kind.
    private mutating func resolve(
        _ reference: EntityReference?,
        kind: String,
        current: Int?,
        _ lookup: ReferenceIndex
    ) -> Int? {
        guard let reference else { return current }
        if current != nil {
            rejectReference(reference, nestedIn: kind)
            return current
        }
        return lookup.resolve(reference, document: document, into: &diagnostics)
    }

    private mutating func owner(_ reference: EntityReference?, _ location: ConfigPath, _ lookup: ReferenceIndex) -> Int? {
        guard let reference else {
            missingReference("consumer", at: location)
            return nil
        }
        return lookup.resolve(reference, document: document, into: &diagnostics)
    }

    private mutating func rejectReference(_ reference: EntityReference?, nestedIn parent: String) {
        guard let reference, let field = reference.location.lastKey else { return }
        diagnostics.error(
            "\"\(field)\" cannot be set on an entity nested in \(parent)",
            at: document.keyMark(at: reference.location),
            path: reference.location
        )
    }

    private mutating func missingReference(_ field: String, at location: ConfigPath) {
        diagnostics.error("missing required field \"\(field)\"", at: document.mark(at: location), path: location)
    }

    private func inFileOrder<T>(_ items: [T], at location: KeyPath<T, ConfigPath>) -> [T] {
        items.enumerated()
            .map { (mark: document.mark(at: $1[keyPath: location]), offset: $0, item: $1) }
            .sorted { ($0.mark, $0.offset) < ($1.mark, $1.offset) }
            .map(\.item)
    }

    /// Kong's migration of paths written for format 1.1/2.1: a path with characters other
    /// than letters, digits and `._~/%-` was a regex there, and is one here (`~` prefix).
    static func migrateRegexPath(_ path: String) -> String {
        guard !path.hasPrefix("~") else { return path }
        let plain = path.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "._~/%-".contains($0) }
        return plain ? path : "~" + path
    }
}
