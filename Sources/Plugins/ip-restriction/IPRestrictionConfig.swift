import Gateway

/// Kong's `ip-restriction` configuration.
public struct IPRestrictionConfig: PluginConfiguration, Equatable {
    /// Addresses or CIDR ranges allowed (when set, every other client is refused).
    public var allow: [IPOrCIDR]?
    /// Addresses or CIDR ranges refused (checked first).
    public var deny: [IPOrCIDR]?
    /// The status of a refusal (Kong's default 403).
    public var status: Int?
    /// The message of a refusal (Kong's default `IP address not allowed: <client ip>`).
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case allow, deny, status, message
    }

    /// No lists (not valid until one is given).
    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allow = try container.optional(.allow)
        deny = try container.optional(.deny)
        status = try container.optional(.status)
        message = try container.optional(.message)
    }

    public func validate(_ validator: inout PluginConfigValidator) {
        if (allow ?? []).isEmpty, (deny ?? []).isEmpty {
            validator.error("at least one of these fields must be non-empty: 'config.allow', 'config.deny'")
        }
        if let status, !(100...599).contains(status) {
            validator.error("value should be between 100 and 599", field: "status")
        }
    }
}

/// One `allow`/`deny` entry: an IPv4 or IPv6 address or CIDR range, checked when the file loads.
public struct IPOrCIDR: Sendable, Hashable, Decodable {
    /// The entry as written.
    public let text: String

    /// Accepts `text` when it is an address or a CIDR range.
    public init?(_ text: String) {
        guard CIDR(text) != nil else { return nil }
        self.text = text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let entry = IPOrCIDR(text) else { throw InvalidConfigValue("invalid ip or cidr range: '\(text)'") }
        self = entry
    }
}
