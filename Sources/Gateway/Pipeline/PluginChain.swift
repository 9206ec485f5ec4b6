/// The plugins that apply to one route, in Kong's priority order, with Kong's scoping already resolved.
///
/// Each entry holds the instance that applies when no (or another) consumer is identified and, for
/// consumers that have a more specific instance, that one. Built when the configuration is compiled.
public struct PluginChain: Sendable {
    /// One plugin name's resolved instances.
    public struct Entry: Sendable {
        /// Kong's plugin name.
        public let name: String
        /// Kong's priority (higher runs first).
        public let priority: Int
        /// The instance used when no consumer-specific instance applies (nil: the plugin is only
        /// configured for some consumers).
        public let defaultInstance: (any Plugin)?
        /// Instances that win for a given consumer id.
        public let consumerInstances: [String: any Plugin]

        /// The instance to run for the request's consumer, if any.
        @inline(__always)
        public func instance(for consumer: Consumer?) -> (any Plugin)? {
            if let consumer, !consumerInstances.isEmpty, let specific = consumerInstances[consumer.id] {
                return specific
            }
            return defaultInstance
        }
    }

    /// Entries sorted by priority, highest first (ties by name, as Kong's sort is stable on name).
    public let entries: [Entry]

    /// Sorts entries into Kong's run order.
    public init(entries: [Entry]) {
        self.entries = entries.sorted { lhs, rhs in
            lhs.priority != rhs.priority ? lhs.priority > rhs.priority : lhs.name < rhs.name
        }
    }

    /// A chain with no plugins.
    public static let empty = PluginChain(entries: [])

    /// True when no plugin applies.
    public var isEmpty: Bool { entries.isEmpty }
}
