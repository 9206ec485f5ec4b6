import NIOCore
import NIOPosix

/// One TCP connection to Redis, bound to an event loop, ready for commands (authenticated and on
/// the configured database).
final class RedisConnection: Sendable {
    let channel: any Channel
    let timeout: TimeAmount

    private init(channel: any Channel, timeout: TimeAmount) {
        self.channel = channel
        self.timeout = timeout
    }

    /// Whether the connection can take commands.
    var isActive: Bool { channel.isActive }

    /// Connects on `loop` (over `tls` when given), then sends `AUTH` (when a password is set) and
    /// `SELECT` (when the database is not 0). Fails with ``RedisError/unavailable(_:)`` when any step
    /// fails, a certificate that does not verify included.
    static func connect(
        _ configuration: RedisConfig,
        tls: OutboundTLS?,
        on loop: any EventLoop
    ) -> EventLoopFuture<RedisConnection> {
        let timeout = TimeAmount.milliseconds(Int64(configuration.timeout))
        let connected = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try tls?.addHandler(to: channel)
                    try channel.pipeline.syncOperations.addHandler(RedisChannelHandler())
                }
            }
            .connect(host: configuration.host ?? "127.0.0.1", port: configuration.port)
        return connected.hop(to: loop).assumeIsolated().flatMap { channel in
            let connection = RedisConnection(channel: channel, timeout: timeout)
            return connection.handshake(configuration).assumeIsolated().map { connection }.flatMapError { error in
                connection.close()
                return loop.makeFailedFuture(error)
            }.nonisolated()
        }.nonisolated().flatMapErrorThrowing { error in
            if let redisError = error as? RedisError, case .unavailable = redisError { throw redisError }
            throw RedisError.unavailable("\(configuration.endpointDescription): \(error)")
        }
    }

    private func handshake(_ configuration: RedisConfig) -> EventLoopFuture<Void> {
        var steps: [RedisCommand] = []
        if let password = configuration.password, !password.isEmpty {
            if let username = configuration.username, !username.isEmpty {
                steps.append(RedisCommand("AUTH", username, password))
            } else {
                steps.append(RedisCommand("AUTH", password))
            }
        }
        if configuration.database != 0 { steps.append(RedisCommand("SELECT", String(configuration.database))) }
        var chain = channel.eventLoop.makeSucceededVoidFuture()
        for step in steps {
            let name = step.arguments.first.map { String(buffer: $0) } ?? "?"
            chain = chain.assumeIsolated().flatMap { self.send(step) }.nonisolated().flatMapThrowing { reply in
                if case .error(let message) = reply { throw RedisError.unavailable("\(name) failed: \(message)") }
            }
        }
        return chain
    }

    /// Sends a command; the future completes on the connection's loop with the server's reply
    /// (error replies included: the caller decides what they mean).
    func send(_ command: RedisCommand) -> EventLoopFuture<RESPValue> {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let request = RedisRequest(command: command, promise: promise, timeout: timeout)
        channel.writeAndFlush(request).whenFailure { error in
            promise.fail(error is RedisError ? error : RedisError.connectionClosed)
        }
        return promise.futureResult
    }

    func close() {
        channel.close(promise: nil)
    }
}
