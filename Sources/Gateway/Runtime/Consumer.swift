/// An API consumer as plugins see it at run time (Kong's consumer entity, compiled).
public struct Consumer: Sendable, Hashable {
    /// A stable id: the configured `id`, or one derived from the username/custom_id so that it survives reloads.
    public let id: String
    /// Kong's `username`.
    public let username: String?
    /// Kong's `custom_id`.
    public let customID: String?
    /// The ACL groups the consumer belongs to.
    public let groups: [String]
    /// Tags from the configuration.
    public let tags: [String]

    /// Creates a consumer.
    public init(id: String, username: String?, customID: String?, groups: [String] = [], tags: [String] = []) {
        self.id = id
        self.username = username
        self.customID = customID
        self.groups = groups
        self.tags = tags
    }
}
