import Logging
import NIOCore
import Synchronization

/// What every client connection of one event loop shares: the configuration store, the loop's
/// upstream pool, the listening port and the connection counter used for draining.
final class ProxyEnvironment {
    let store: ConfigStore
    let pool: UpstreamPool
    let listenPort: Int
    let connections: ConnectionCounter
    let logger: Logger

    init(store: ConfigStore, pool: UpstreamPool, listenPort: Int, connections: ConnectionCounter, logger: Logger) {
        self.store = store
        self.pool = pool
        self.listenPort = listenPort
        self.connections = connections
        self.logger = logger
    }
}

/// Counts open client connections across event loops (graceful shutdown waits for zero).
public final class ConnectionCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// Creates a counter at zero.
    public init() {}

    func opened() { count.add(1, ordering: .relaxed) }
    func closed() { count.subtract(1, ordering: .relaxed) }

    /// Currently open connections.
    public var open: Int { count.load(ordering: .relaxed) }
}
