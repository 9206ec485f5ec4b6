import CoreMetrics
import Gateway
import NIOCore
import Synchronization

/// A Redis client for plugins: per event loop, a small pool of pipelined connections, so a request's
/// command goes out on its own event loop with no thread hop. Shared by every plugin instance that
/// names the same server, database and credentials, and kept across reloads
/// (``PluginSharedState``); closed when the gateway stops.
public final class RedisClient: PluginSharedResource {
    /// Connections per event loop. Commands are pipelined, so a few carry any load Redis can take.
    public static let connectionsPerLoop = 2

    /// Where it connects.
    public let configuration: RedisConfig
    private let pools = Mutex<[ObjectIdentifier: NIOLoopBound<RedisLoopPool>]>([:])
    private let failureCount = Atomic<Int>(0)
    /// `pasarela_redis_errors_total{redis="host:port/db"}`: the same failures, for the metrics.
    private let failureCounter: Counter

    private let tls: OutboundTLS?

    /// A client for `configuration`; no connection is made until the first command. With `ssl: true`
    /// it speaks TLS, verifying the server against `trusted` when `ssl_verify` is true; throws
    /// ``InvalidConfigValue`` when TLS cannot be set up (e.g. a certificate file that does not parse).
    public init(
        configuration: RedisConfig,
        trusted: TrustedCertificates = TrustedCertificates(),
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) throws {
        self.configuration = configuration
        failureCounter = Counter(
            label: "pasarela_redis_errors_total",
            dimensions: [("redis", configuration.endpointDescription)],
            factory: metrics
        )
        guard configuration.ssl else {
            tls = nil
            return
        }
        do {
            tls = try OutboundTLS(
                host: configuration.host ?? "127.0.0.1",
                serverName: configuration.serverName,
                verify: configuration.sslVerify,
                trusted: trusted
            )
        } catch {
            throw InvalidConfigValue("redis: \(error)")
        }
    }

    /// The client for `configuration` in `shared` (one per server, database, credentials and TLS
    /// settings).
    public static func shared(
        _ configuration: RedisConfig,
        trusted: TrustedCertificates,
        in shared: PluginSharedState
    ) throws -> RedisClient {
        var key = "redis:\(configuration.endpointDescription):\(configuration.username ?? ""):\(configuration.password ?? "")"
        if configuration.ssl {
            key += ":tls:\(configuration.sslVerify):\(configuration.serverName ?? ""):\(trusted.entries)"
        }
        return try shared.object(key) { () throws -> RedisClient in
            try RedisClient(configuration: configuration, trusted: trusted, metrics: shared.metrics)
        }
    }

    /// Commands that failed for want of a working connection (refused, timed out, closed); also
    /// counted in `pasarela_redis_errors_total`.
    public var failures: Int { failureCount.load(ordering: .relaxed) }

    /// Sends `command` on a connection of `loop`'s pool; the future completes on `loop`. An error
    /// reply fails it with ``RedisError/server(_:)``.
    public func send(_ command: RedisCommand, on loop: any EventLoop) -> EventLoopFuture<RESPValue> {
        let sent: EventLoopFuture<RESPValue>
        if loop.inEventLoop {
            sent = pool(for: loop).send(command)
        } else {
            sent = loop.flatSubmit { self.pool(for: loop).send(command) }
        }
        return sent.flatMapErrorThrowing { error in
            self.failureCount.add(1, ordering: .relaxed)
            self.failureCounter.increment()
            throw error
        }.flatMapThrowing { reply in
            if case .error(let message) = reply { throw RedisError.server(message) }
            return reply
        }
    }

    /// Must run on `loop`.
    private func pool(for loop: any EventLoop) -> RedisLoopPool {
        let id = ObjectIdentifier(loop)
        return pools.withLock { pools in
            if let existing = pools[id] { return existing.value }
            let pool = RedisLoopPool(configuration: configuration, tls: tls, loop: loop, size: Self.connectionsPerLoop)
            pools[id] = NIOLoopBound(pool, eventLoop: loop)
            return pool
        }
    }

    public func shutdown() async {
        let all = pools.withLock { pools in
            defer { pools = [:] }
            return Array(pools.values)
        }
        for bound in all {
            try? await bound.eventLoop.submit { bound.value.closeAll() }.get()
        }
    }
}

/// One event loop's Redis connections; used only on that loop.
final class RedisLoopPool {
    let configuration: RedisConfig
    let tls: OutboundTLS?
    let loop: any EventLoop
    private var state: RedisPoolState
    private var connections: [RedisConnection?]
    private var attempts: [EventLoopFuture<RedisConnection>?]
    private var isClosed = false

    init(configuration: RedisConfig, tls: OutboundTLS?, loop: any EventLoop, size: Int) {
        self.configuration = configuration
        self.tls = tls
        self.loop = loop
        self.state = RedisPoolState(size: size)
        self.connections = Array(repeating: nil, count: max(1, size))
        self.attempts = Array(repeating: nil, count: max(1, size))
    }

    func send(_ command: RedisCommand, retried: Int = 0) -> EventLoopFuture<RESPValue> {
        guard !isClosed else { return loop.makeFailedFuture(RedisError.connectionClosed) }
        switch state.nextAction(now: .now()) {
        case .use(let slot):
            guard let connection = connections[slot], connection.isActive else {
                // Closed a moment ago and not yet noticed: free the slot and pick again.
                state.closed(slot)
                connections[slot] = nil
                guard retried < connections.count else { return loop.makeFailedFuture(RedisError.connectionClosed) }
                return send(command, retried: retried + 1)
            }
            return connection.send(command)
        case .wait(let slot):
            guard let attempt = attempts[slot] else { return loop.makeFailedFuture(RedisError.connectionClosed) }
            return attempt.assumeIsolated().flatMap { $0.send(command) }.nonisolated()
        case .connect(let slot):
            let attempt = RedisConnection.connect(configuration, tls: tls, on: loop)
            attempts[slot] = attempt
            attempt.assumeIsolated().whenComplete { [self] result in
                attempts[slot] = nil
                switch result {
                case .success(let connection):
                    guard !isClosed else {
                        connection.close()
                        return
                    }
                    connections[slot] = connection
                    state.connected(slot)
                    connection.channel.closeFuture.assumeIsolated().whenComplete { [self] _ in
                        guard connections[slot] === connection else { return }
                        connections[slot] = nil
                        state.closed(slot)
                    }
                case .failure:
                    state.connectFailed(slot, now: .now())
                }
            }
            return attempt.assumeIsolated().flatMap { $0.send(command) }.nonisolated()
        case .failFast:
            return loop.makeFailedFuture(
                RedisError.unavailable("\(configuration.endpointDescription) was unreachable less than a second ago")
            )
        }
    }

    func closeAll() {
        isClosed = true
        for connection in connections { connection?.close() }
        connections = connections.map { _ in nil }
    }
}
