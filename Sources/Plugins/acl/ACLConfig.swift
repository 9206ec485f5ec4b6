import Gateway

/// Kong's `acl` configuration: exactly one of `allow` and `deny`.
public struct ACLConfig: PluginConfiguration, Equatable {
    /// Groups allowed to consume the route or service.
    public var allow: [String]?
    /// Groups refused.
    public var deny: [String]?
    /// Whether `X-Consumer-Groups` is kept from the upstream (default false).
    public var hideGroupsHeader: Bool = false
    /// Kong's switch for groups set by other authentication plugins (accepted; Pasarela's plugins
    /// authenticate consumers, whose groups are always used).
    public var alwaysUseAuthenticatedGroups: Bool = false

    enum CodingKeys: String, CodingKey {
        case allow, deny
        case hideGroupsHeader = "hide_groups_header"
        case alwaysUseAuthenticatedGroups = "always_use_authenticated_groups"
    }

    /// An empty configuration (invalid until `allow` or `deny` is set).
    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        allow = try c.optional(.allow)
        deny = try c.optional(.deny)
        hideGroupsHeader = try c.value(.hideGroupsHeader, or: hideGroupsHeader)
        alwaysUseAuthenticatedGroups = try c.value(.alwaysUseAuthenticatedGroups, or: alwaysUseAuthenticatedGroups)
    }

    public func validate(_ validator: inout PluginConfigValidator) {
        switch (allow, deny) {
        case (nil, nil):
            validator.error("at least one of these fields must be non-empty: 'config.allow', 'config.deny'")
        case (.some, .some):
            validator.error("only one of these fields must be populated: 'config.allow', 'config.deny'")
        default:
            break
        }
    }
}
