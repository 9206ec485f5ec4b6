import NIOCore
import NIOHTTP1
import NIOPosix

/// The keep-alive connections to upstreams of one event loop. Only used on that loop, so the
/// request never leaves its thread to find a connection.
final class UpstreamPool {
    let eventLoop: any EventLoop
    /// Idle connections kept per endpoint.
    let maxIdlePerEndpoint: Int
    /// Idle connections older than this are closed.
    let idleTimeout: TimeAmount
    /// Idle connections per endpoint, most recently used last. Each list is a class so that taking
    /// and returning a connection changes it in place (a dictionary's modify accessor allocates).
    private var idle: [HTTPEndpoint: IdleList] = [:]
    private var sweepScheduled = false
    /// Connections opened since start (for tests and metrics).
    private(set) var connectionsOpened = 0

    init(eventLoop: any EventLoop, maxIdlePerEndpoint: Int = 256, idleTimeout: TimeAmount = .seconds(55)) {
        self.eventLoop = eventLoop
        self.maxIdlePerEndpoint = maxIdlePerEndpoint
        self.idleTimeout = idleTimeout
    }

    /// An idle connection to the endpoint, if one is usable.
    func takeIdle(_ endpoint: HTTPEndpoint) -> UpstreamConnection? {
        eventLoop.preconditionInEventLoop()
        guard let list = idle[endpoint] else { return nil }
        while let connection = list.connections.popLast() {
            if connection.isUsable { return connection }
        }
        return nil
    }

    /// Opens a new connection on this loop.
    func connect(_ endpoint: HTTPEndpoint, timeout: TimeAmount) -> EventLoopFuture<UpstreamConnection> {
        connectionsOpened += 1
        let loop = eventLoop
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(HTTPRequestEncoder())
                    try sync.addHandler(UpstreamResponseDecoder())
                    try sync.addHandler(NIOHTTPRequestHeadersValidator())
                    try sync.addHandler(UpstreamHandler())
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .flatMapThrowing { channel in
                loop.preconditionInEventLoop()
                let handler = try channel.pipeline.syncOperations.handler(type: UpstreamHandler.self)
                let decoder = try channel.pipeline.syncOperations.handler(type: UpstreamResponseDecoder.self)
                let rawOutput = try channel.pipeline.syncOperations.context(handlerType: HTTPRequestEncoder.self)
                return UpstreamConnection(
                    channel: channel,
                    handler: handler,
                    decoder: decoder,
                    rawOutput: rawOutput,
                    endpoint: endpoint
                )
            }
            .assumeIsolated()
            .map { [self] connection in
                // Set once: the handler calls it only while no exchange uses the connection, from its
                // channel's `channelInactive`. It names the connection by its channel, alive at that
                // moment (so no other object can have its identity): a weak reference to the
                // connection would give it a side table, and every retain and release of it would
                // take the runtime's slow path.
                let channelID = ObjectIdentifier(connection.channel)
                connection.handler.onIdleClose = { [weak self] in
                    self?.remove(channel: channelID, endpoint: endpoint)
                }
                return connection
            }
            .nonisolated()
    }

    /// Returns a connection after a complete exchange; it is closed when not reusable or the pool is full.
    func release(_ connection: UpstreamConnection) {
        eventLoop.preconditionInEventLoop()
        connection.handler.receiver = nil
        connection.decoder.relay = nil
        connection.handler.readsPaused = false
        guard connection.isUsable else {
            connection.close()
            return
        }
        let list: IdleList
        if let existing = idle[connection.endpoint] {
            list = existing
        } else {
            list = IdleList()
            idle[connection.endpoint] = list
        }
        guard list.connections.count < maxIdlePerEndpoint else {
            connection.close()
            return
        }
        connection.idleSince = .now()
        list.connections.append(connection)
        scheduleSweep()
    }

    /// Closes every idle connection (shutdown, or a reload that dropped endpoints).
    func closeAll() {
        for list in idle.values { for connection in list.connections { connection.close() } }
        idle.removeAll()
    }

    /// Number of idle connections (tests).
    var idleCount: Int { idle.values.reduce(0) { $0 + $1.connections.count } }

    private func remove(channel id: ObjectIdentifier, endpoint: HTTPEndpoint) {
        idle[endpoint]?.connections.removeAll { ObjectIdentifier($0.channel) == id }
    }

    private func scheduleSweep() {
        guard !sweepScheduled else { return }
        sweepScheduled = true
        eventLoop.assumeIsolated().scheduleTask(in: idleTimeout) { [self] in
            sweepScheduled = false
            let cutoff = NIODeadline.now() - idleTimeout
            for (endpoint, list) in idle {
                let (stale, fresh) = list.connections.partitioned { $0.idleSince <= cutoff }
                stale.forEach { $0.close() }
                list.connections = fresh
                if fresh.isEmpty { idle[endpoint] = nil }
            }
            if !idle.isEmpty { scheduleSweep() }
        }
    }
}

extension Array {
    /// Splits into the elements matching the predicate and the rest, keeping order.
    func partitioned(by belongsInFirst: (Element) -> Bool) -> ([Element], [Element]) {
        var first: [Element] = []
        var second: [Element] = []
        for element in self {
            if belongsInFirst(element) { first.append(element) } else { second.append(element) }
        }
        return (first, second)
    }
}

/// The idle connections to one endpoint (see ``UpstreamPool``).
private final class IdleList {
    var connections: [UpstreamConnection] = []
}
