/// The top level of a gateway.yaml as written, before flattening: Kong's declarative
/// entities in their nested and flat forms, plus the `pasarela:` block. Top-level keys that
/// start with `x-` are ignored (a place for YAML anchors, as in docker-compose files).
struct DeclarativeConfig: Decodable {
    var formatVersion: String?
    var settings: PasarelaSettings
    var services: [ServiceConfig]
    var routes: [RouteConfig]
    var upstreams: [UpstreamConfig]
    var targets: [TargetConfig]
    var consumers: [ConsumerConfig]
    var jwtSecrets: [JWTSecretConfig]
    var keyauthCredentials: [KeyAuthCredentialConfig]
    var acls: [ACLGroupConfig]
    var plugins: [PluginDeclaration]
    /// Kong entity keys present in the file that Pasarela does not support.
    var unsupportedEntities: [String]

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case services, routes, upstreams, targets, consumers, acls, plugins
        case formatVersion = "_format_version"
        case transform = "_transform"
        case comment = "_comment"
        case settings = "pasarela"
        case jwtSecrets = "jwt_secrets"
        case keyauthCredentials = "keyauth_credentials"
    }

    /// Kong's other top-level entities, reported as unsupported rather than unknown.
    static let kongEntitiesNotSupported = [
        "certificates", "ca_certificates", "snis", "vaults", "basicauth_credentials", "hmacauth_credentials",
        "oauth2_credentials", "oauth2_tokens", "key_sets", "keys", "consumer_groups", "consumer_group_consumers",
        "filter_chains", "_workspace",
    ]

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.optional(.formatVersion)
        _ = try c.decodeIfPresent(Bool.self, forKey: .transform)
        c.accept(.comment)
        settings = try c.value(.settings, or: PasarelaSettings())
        services = try c.value(.services, or: [])
        routes = try c.value(.routes, or: [])
        upstreams = try c.value(.upstreams, or: [])
        targets = try c.value(.targets, or: [])
        consumers = try c.value(.consumers, or: [])
        jwtSecrets = try c.value(.jwtSecrets, or: [])
        keyauthCredentials = try c.value(.keyauthCredentials, or: [])
        acls = try c.value(.acls, or: [])
        plugins = try c.value(.plugins, or: [])
        let others = try decoder.container(keyedBy: ConfigCodingKey.self)
        unsupportedEntities = Self.kongEntitiesNotSupported.filter { others.contains(ConfigCodingKey(stringValue: $0)) }
        for key in decoder.configNode?.entries ?? [] where key.key.hasPrefix("x-") {
            _ = others.contains(ConfigCodingKey(stringValue: key.key))
        }
    }
}
