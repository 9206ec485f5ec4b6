import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The proxy listener: accepts client connections and gives each the handlers of the proxy path,
/// on the event loop that accepted it (which also owns that loop's upstream pool).
public final class ProxyServer: Sendable {
    private let group: any EventLoopGroup
    private let store: ConfigStore
    private let logger: Logger
    private let pools: UpstreamPools
    /// Open client connections (graceful shutdown waits for them).
    public let connections = ConnectionCounter()
    private let openChannels = OpenChannels()

    /// Prepares a server over `group`; call ``start(at:)`` to listen.
    public init(group: MultiThreadedEventLoopGroup, store: ConfigStore, logger: Logger) {
        self.group = group
        self.store = store
        self.logger = logger
        self.pools = UpstreamPools(group: group)
    }

    /// Binds and starts accepting; returns the listening channel (its local address has the real port).
    public func start(at address: ListenAddress) async throws -> any Channel {
        let settings = store.current.settings
        let store = self.store
        let logger = self.logger
        let pools = self.pools
        let connections = self.connections
        let openChannels = self.openChannels
        let maxRequestLine = settings.maxRequestLine
        let maxHeadSize = settings.maxHeaderSize + settings.maxRequestLine
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 4)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let pool = pools.pool(for: channel.eventLoop) else {
                        throw ChannelError.inappropriateOperationForState
                    }
                    let current = store.current.settings
                    let port = channel.localAddress?.port ?? address.port
                    let connectionGuard = ConnectionGuard(
                        headerTimeout: current.clientHeaderTimeout,
                        keepaliveTimeout: current.keepaliveTimeout
                    )
                    let environment = ProxyEnvironment(
                        store: store,
                        pool: pool,
                        listenPort: port,
                        connections: connections,
                        logger: logger
                    )
                    openChannels.add(channel)
                    let sync = channel.pipeline.syncOperations
                    // The decoder first: its writes (the guard's 408) go straight to the socket, and
                    // it hands parts to the `DownstreamHandler` directly.
                    let encoder = ResponseEncoder()
                    try sync.addHandler(
                        RequestDecoder(
                            maxRequestLine: maxRequestLine,
                            maxHeadSize: maxHeadSize,
                            responseEncoder: encoder,
                            connectionGuard: connectionGuard
                        )
                    )
                    try sync.addHandler(encoder)
                    try sync.addHandler(NIOHTTPResponseHeadersValidator())
                    try sync.addHandler(DownstreamHandler(environment: environment, connectionGuard: connectionGuard))
                }
            }
        return try await bootstrap.bind(host: address.host, port: address.port).get()
    }

    /// Asks every client connection to close once its exchange in flight is complete.
    public func quiesce() async {
        for channel in openChannels.all {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Closes every client connection now (after the drain timeout).
    public func closeAllConnections() async {
        for channel in openChannels.all { try? await channel.close() }
    }

    /// Upstream connections opened so far on all loops (tests count keep-alive reuse with it).
    public func upstreamConnectionsOpened() async throws -> Int {
        try await pools.onEachLoop { $0.connectionsOpened }.reduce(0, +)
    }

    /// Closes idle upstream connections on every loop.
    public func closeIdleUpstreams() async {
        _ = try? await pools.onEachLoop { $0.closeAll() }
    }
}

/// The client channels currently open, for draining.
final class OpenChannels: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = channels.withLock { $0.removeValue(forKey: id) }
        }
    }

    var all: [any Channel] { channels.withLock { Array($0.values) } }
}

/// One upstream pool per event loop, built before any connection exists and never changed.
///
/// `@unchecked Sendable`: the dictionary is immutable, and each pool is only used on its own loop
/// (every pool method checks that), so sharing the references between threads is safe.
final class UpstreamPools: @unchecked Sendable {
    private let pools: [ObjectIdentifier: UpstreamPool]

    init(group: MultiThreadedEventLoopGroup) {
        var pools: [ObjectIdentifier: UpstreamPool] = [:]
        for loop in group.makeIterator() { pools[ObjectIdentifier(loop)] = UpstreamPool(eventLoop: loop) }
        self.pools = pools
    }

    func pool(for loop: any EventLoop) -> UpstreamPool? { pools[ObjectIdentifier(loop)] }

    /// Runs `body` with each loop's pool, on that loop.
    func onEachLoop<T: Sendable>(_ body: @escaping @Sendable (UpstreamPool) -> T) async throws -> [T] {
        var results: [T] = []
        for (id, pool) in pools {
            let loop = pool.eventLoop
            let result: T? = try await loop.submit { [self] in self.pools[id].map(body) }.get()
            if let result { results.append(result) }
        }
        return results
    }
}
