/// A flat-form reference to another entity: `service: users`, `service: {name: users}`,
/// `consumer: {username: alice}` or `{id: ...}`.
public struct EntityReference: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The name, username or id written.
    public var value: String
    /// Where the reference is written in the file.
    public var location: ConfigPath

    /// Creates a reference.
    public init(_ value: String, location: ConfigPath = .root) {
        self.value = value
        self.location = location
    }

    private enum CodingKeys: String, CodingKey {
        case name, username, id
    }

    public init(from decoder: any Decoder) throws {
        location = decoder.configPath ?? .root
        if decoder.configNode?.entries == nil {
            value = try decoder.singleValueContainer().decode(String.self)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let given = [CodingKeys.name, .username, .id].compactMap { key in
            (try? container.decodeIfPresent(String.self, forKey: key)).flatMap { $0 }
        }
        guard let first = given.first else {
            throw InvalidConfigValue("a reference needs \"name\", \"username\" or \"id\"")
        }
        value = first
    }

    /// The referenced name.
    public var description: String { value }
}
