/// A plugin as declared in the file: its name, its raw `config:` block (decoded later by the
/// plugin registry with ``ConfigDecoder``) and, once flattened, the scope it applies to.
public struct PluginDeclaration: Sendable, Hashable, Decodable {
    /// Kong's optional entity id.
    public var id: String?
    /// The plugin's name, e.g. `rate-limiting`.
    public var name: String
    /// Kong's optional `instance_name`.
    public var instanceName: String?
    /// The `config:` block as written, with its marks; `nil` when absent.
    public var config: ConfigNode?
    /// Where the `config:` block is (or would be) in the file.
    public var configLocation: ConfigPath
    /// Whether the plugin runs (default true).
    public var enabled: Bool
    /// Protocols the plugin runs for (Kong default `grpc`, `grpcs`, `http`, `https`).
    public var protocols: [GatewayProtocol]
    /// Free-form tags.
    public var tags: [String]
    /// `route:` in the flat form, as written.
    public var route: EntityReference?
    /// `service:` in the flat form, as written.
    public var service: EntityReference?
    /// `consumer:` in the flat form, as written.
    public var consumer: EntityReference?
    /// What the plugin applies to, once flattened.
    public var scope: PluginScope
    /// Where the plugin is declared.
    public var location: ConfigPath

    private enum CodingKeys: String, CodingKey {
        case id, name, config, enabled, protocols, tags, route, service, consumer
        case instanceName = "instance_name"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        id = try c.optional(.id)
        name = try c.decode(String.self, forKey: .name)
        instanceName = try c.optional(.instanceName)
        config = try c.optional(.config)
        configLocation = location.appending("config")
        enabled = try c.value(.enabled, or: true)
        protocols = try c.value(.protocols, or: [.grpc, .grpcs, .http, .https])
        tags = try c.value(.tags, or: [])
        route = try c.optional(.route)
        service = try c.optional(.service)
        consumer = try c.optional(.consumer)
        scope = PluginScope()
        c.accept(.createdAt, .updatedAt)
    }

    /// The `config:` block, or an empty mapping at the plugin's position when absent, ready
    /// for ``ConfigDecoder`` (so every field takes its default).
    public func configNode(in document: ConfigDocument) -> ConfigNode {
        config ?? ConfigNode(.mapping([]), mark: document.mark(at: location))
    }
}

/// What a plugin applies to: indices into ``GatewayConfig``'s services, routes and consumers;
/// all `nil` for a global plugin.
public struct PluginScope: Sendable, Hashable, CustomStringConvertible {
    /// Index into ``GatewayConfig/services``.
    public var service: Int?
    /// Index into ``GatewayConfig/routes``.
    public var route: Int?
    /// Index into ``GatewayConfig/consumers``.
    public var consumer: Int?

    /// Creates a scope; no arguments means global.
    public init(service: Int? = nil, route: Int? = nil, consumer: Int? = nil) {
        self.service = service
        self.route = route
        self.consumer = consumer
    }

    /// Whether the plugin applies everywhere.
    public var isGlobal: Bool { service == nil && route == nil && consumer == nil }

    /// Kong's precedence when the same plugin is configured more than once: higher wins.
    /// Consumer+route+service (7) > consumer+route > consumer+service > route+service >
    /// consumer > route > service > global (0).
    public var precedence: Int {
        switch (consumer != nil, route != nil, service != nil) {
        case (true, true, true): return 7
        case (true, true, false): return 6
        case (true, false, true): return 5
        case (false, true, true): return 4
        case (true, false, false): return 3
        case (false, true, false): return 2
        case (false, false, true): return 1
        case (false, false, false): return 0
        }
    }

    /// `global`, or e.g. `route 2, consumer 0`.
    public var description: String {
        guard !isGlobal else { return "global" }
        let parts = [("service", service), ("route", route), ("consumer", consumer)].compactMap { name, index in
            index.map { "\(name) \($0)" }
        }
        return parts.joined(separator: ", ")
    }
}
