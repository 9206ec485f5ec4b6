import Foundation
import Logging
import NIOCore

/// Turns a validated ``GatewayConfig`` into the ``CompiledConfig`` the proxy runs.
struct ConfigCompiler {
    let config: GatewayConfig
    let registry: PluginRegistry
    let logger: Logger
    let dispatchers: GatewayLoader.DispatcherFactory?
    var shared = PluginSharedState()

    mutating func compile(file: String, into diagnostics: inout Diagnostics) -> CompiledConfig? {
        let settings = compileSettings(into: &diagnostics)
        let consumers = config.consumers.map(Self.consumer)
        let balancers = Dictionary(
            config.upstreams.map { ($0.name.lowercased(), balancer(for: $0)) },
            uniquingKeysWith: { first, _ in first }
        )
        let services = config.services.map { compileService($0, balancers: balancers, into: &diagnostics) }

        let context = PluginBuildContext(config: config, consumers: consumers, logger: logger, shared: shared)
        var plugins: [ScopedPlugin] = []
        for declaration in config.plugins where declaration.enabled {
            guard let descriptor = registry.descriptor(named: declaration.name) else { continue }
            let scope = declaration.scope
            if let plugin = descriptor.build(
                config: declaration.configNode(in: config.document),
                at: declaration.configLocation,
                into: &diagnostics,
                context: context.scoped(
                    routeID: scope.route.map { routeID(at: $0) },
                    serviceID: scope.service.map { services.indices.contains($0) ? services[$0].id : "" }
                )
            ) {
                plugins.append(ScopedPlugin(plugin: plugin, scope: declaration.scope))
            }
        }

        let consumerIDs = consumers.map(\.id)
        var routes: [ProxyRoute] = []
        var definitions: [RouteDefinition] = []
        for (index, route) in config.routes.enumerated() {
            let service = route.serviceIndex.flatMap { services.indices.contains($0) ? services[$0] : nil }
            routes.append(
                ProxyRoute(
                    id: routeID(at: index),
                    name: route.name,
                    service: service,
                    stripPath: route.stripPath,
                    preserveHost: route.preserveHost,
                    chain: PluginChain(resolving: plugins, route: index, service: route.serviceIndex, consumerIDs: consumerIDs)
                )
            )
            definitions.append(
                RouteDefinition(
                    id: index,
                    name: route.name,
                    hosts: route.hosts,
                    methods: route.methods,
                    headers: route.headers,
                    paths: route.paths,
                    regexPriority: route.regexPriority,
                    stripPath: route.stripPath
                )
            )
        }
        let table: RouteTable
        do {
            table = try RouteTable(definitions)
        } catch {
            for problem in error.problems {
                let location =
                    config.routes.indices.contains(problem.routeID)
                    ? config.routes[problem.routeID].location : ConfigPath.root
                var path = location.appending(problem.field.rawValue)
                if let key = problem.key { path = path.appending(key) }
                if let index = problem.index { path = path.appending(index: index) }
                diagnostics.error(problem.message, at: config.mark(at: path), path: path)
            }
            return nil
        }
        return CompiledConfig(
            settings: settings,
            routeTable: table,
            routes: routes,
            globalChain: PluginChain(
                resolving: plugins.filter { $0.scope.isGlobal },
                route: nil,
                service: nil,
                consumerIDs: consumerIDs
            ),
            consumers: consumers,
            declaration: config,
            sourceFile: file
        )
    }

    /// The route's configured id, or one derived from its name or position.
    private func routeID(at index: Int) -> String {
        guard config.routes.indices.contains(index) else { return "" }
        let route = config.routes[index]
        return route.id ?? Self.derivedID("route", route.name ?? "#\(index)")
    }

    private func compileSettings(into diagnostics: inout Diagnostics) -> ProxySettings {
        let declared = config.settings
        var settings = ProxySettings()
        let location = ConfigPath.root.appending("pasarela")
        if let proxy = ListenAddress(parsing: declared.proxyListen) { settings.proxyListen = proxy }
        settings.adminListen =
            declared.adminListen.isEmpty || declared.adminListen == "off"
            ? nil : ListenAddress(parsing: declared.adminListen)
        settings.adminToken = declared.adminToken
        settings.drainTimeout = declared.drainTimeout.timeAmount
        if let trusted = IPMatcher(declared.trustedIPs) {
            settings.trustedIPs = trusted
        } else {
            let path = location.appending("trusted_ips")
            diagnostics.error("must be IP addresses or CIDR ranges", at: config.mark(at: path), path: path)
        }
        settings.clientHeaderTimeout = declared.clientHeaderTimeout.timeAmount
        settings.clientBodyTimeout = declared.clientBodyTimeout.timeAmount
        settings.keepaliveTimeout = declared.keepaliveTimeout.timeAmount
        settings.maxHeaderSize = declared.maxHeaderSize.bytes
        settings.maxRequestLine = declared.maxRequestLine.bytes
        settings.clientMaxBodySize = declared.clientMaxBodySize.bytes
        return settings
    }

    private func compileService(
        _ service: ServiceConfig,
        balancers: [String: LoadBalancer],
        into diagnostics: inout Diagnostics
    ) -> ProxyService {
        let destination: ProxyService.Destination
        switch service.protocol {
        case .http:
            if let balancer = balancers[service.host.lowercased()] {
                destination = .upstream(balancer, scheme: "http")
            } else {
                destination = .http(HTTPEndpoint(scheme: "http", host: service.host, port: service.port))
            }
        case .amqp, .amqps:
            if let dispatchers, let dispatcher = dispatchers(service, &diagnostics) {
                destination = .dispatcher(dispatcher)
            } else {
                if dispatchers == nil {
                    let path = service.location.appending("protocol")
                    diagnostics.error(
                        "amqp services need the AMQP bridge, which this process was started without",
                        at: config.mark(at: path),
                        path: path
                    )
                }
                destination = .http(HTTPEndpoint(scheme: "http", host: service.host, port: service.port))
            }
        default:
            let path = service.location.appending("protocol")
            diagnostics.error(
                "protocol \"\(service.protocol.rawValue)\" is not supported for services yet (supported: http, amqp, amqps)",
                at: config.mark(at: path),
                path: path
            )
            destination = .http(HTTPEndpoint(scheme: "http", host: service.host, port: service.port))
        }
        return ProxyService(
            id: service.id ?? Self.derivedID("service", service.name ?? "\(service.host):\(service.port)"),
            name: service.name,
            destination: destination,
            // An amqp URL's path is its vhost, not a prefix for the job's path.
            path: service.protocol == .amqp || service.protocol == .amqps ? nil : service.path,
            connectTimeout: .milliseconds(Int64(service.connectTimeout)),
            readTimeout: .milliseconds(Int64(service.readTimeout)),
            writeTimeout: .milliseconds(Int64(service.writeTimeout)),
            retries: service.retries
        )
    }

    private func balancer(for upstream: UpstreamConfig) -> LoadBalancer {
        let algorithm = LoadBalancer.Algorithm(rawValue: upstream.algorithm.rawValue) ?? .roundRobin
        let targets = upstream.targets.compactMap { target -> LoadBalancer.Target? in
            guard let address = ListenAddress(parsing: target.target) else {
                return LoadBalancer.Target(
                    endpoint: HTTPEndpoint(scheme: "http", host: target.target, port: 8000),
                    weight: target.weight
                )
            }
            return LoadBalancer.Target(
                endpoint: HTTPEndpoint(scheme: "http", host: address.host, port: address.port),
                weight: target.weight
            )
        }
        return LoadBalancer(name: upstream.name, algorithm: algorithm, targets: targets)
    }

    static func consumer(_ consumer: ConsumerConfig) -> Consumer {
        let key = consumer.username ?? consumer.customID ?? ""
        return Consumer(
            id: consumer.id ?? derivedID("consumer", key),
            username: consumer.username,
            customID: consumer.customID,
            groups: consumer.acls.map(\.group),
            tags: consumer.tags
        )
    }

    /// A UUID-shaped id derived from an entity's kind and natural key, so that it is the same in
    /// every process and after every reload (Kong declares ids the same way when none is given).
    /// Two 64-bit FNV-1a hashes, not a cryptographic UUIDv5: these ids identify, they do not protect.
    static func derivedID(_ kind: String, _ key: String) -> String {
        let high = StableHash.fnv1a64("pasarela:\(kind):\(key)")
        let low = StableHash.fnv1a64("\(key):\(kind):pasarela")
        let hex = String(format: "%016llx%016llx", high, low)
        let chars = Array(hex)
        return
            "\(String(chars[0..<8]))-\(String(chars[8..<12]))-5\(String(chars[13..<16]))-\(String(chars[16..<20]))-\(String(chars[20..<32]))"
    }
}

extension ConfigDuration {
    /// The duration as NIO's `TimeAmount`.
    var timeAmount: TimeAmount { .milliseconds(milliseconds) }
}
