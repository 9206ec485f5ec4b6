/// The state of an ``AMQPConnection`` as callers see it.
public enum ConnectionState: Sendable, Hashable {
    /// A connection attempt is under way.
    case connecting
    /// Connected, with channels, topology and consumers set up: publishes go through.
    case connected
    /// Not connected; a new attempt follows after a backoff delay. Publishes fail at once.
    case disconnected(reason: String)
    /// Closed for good by ``AMQPConnection/close()``.
    case closed

    /// Whether publishes can be sent now.
    public var isConnected: Bool { self == .connected }
}
