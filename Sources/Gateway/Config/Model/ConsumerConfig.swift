/// A Kong consumer: who calls the API, with the credentials that identify them.
public struct ConsumerConfig: Sendable, Hashable, Decodable {
    /// Kong's optional entity id.
    public var id: String?
    /// Unique user name (a consumer needs this or `custom_id`).
    public var username: String?
    /// Unique id from another system.
    public var customID: String?
    /// Free-form tags.
    public var tags: [String]
    /// JWT credentials, nested and flat alike once the model is flattened.
    public var jwtSecrets: [JWTSecretConfig]
    /// API keys, nested and flat alike once the model is flattened.
    public var keyauthCredentials: [KeyAuthCredentialConfig]
    /// ACL group memberships, nested and flat alike once the model is flattened.
    public var acls: [ACLGroupConfig]
    /// Where the consumer is declared.
    public var location: ConfigPath

    /// Plugins nested in the consumer; moved out when the model is flattened.
    var nestedPlugins: [PluginDeclaration]

    private enum CodingKeys: String, CodingKey {
        case id, username, tags, acls, plugins
        case customID = "custom_id"
        case jwtSecrets = "jwt_secrets"
        case keyauthCredentials = "keyauth_credentials"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        id = try c.optional(.id)
        username = try c.optional(.username)
        customID = try c.optional(.customID)
        tags = try c.value(.tags, or: [])
        jwtSecrets = try c.value(.jwtSecrets, or: [])
        keyauthCredentials = try c.value(.keyauthCredentials, or: [])
        acls = try c.value(.acls, or: [])
        nestedPlugins = try c.value(.plugins, or: [])
        c.accept(.createdAt, .updatedAt)
    }

    /// The username, else the custom id, else the id: how messages name the consumer.
    public var displayName: String {
        username ?? customID ?? id ?? "?"
    }
}
