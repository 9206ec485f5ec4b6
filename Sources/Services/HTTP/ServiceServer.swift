import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The HTTP side of a service: a small HTTP/1.1 server on SwiftNIO with keep-alive, whole-request
/// bodies (bounded), and whole or streamed responses.
///
/// Deliberately not Hummingbird or Vapor: the services need a router with `:param` segments and JSON,
/// which is a page of code, while either framework would more than double the clean build.
/// Runs as a `ServiceLifecycle` service: a graceful shutdown stops accepting, closes idle connections
/// and lets requests in progress finish.
public final class ServiceServer: Service, Sendable {
    public let router: ServiceRouter
    public let host: String
    public let port: Int
    let maxBodySize: Int
    let logger: Logger
    let group: any EventLoopGroup
    private let bound = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, any Error>])>((nil, []))
    private let connections = ConnectionRegistry()

    /// A server for `router` on `host:port` (port 0 picks a free one; see ``boundPort()``).
    public init(
        router: ServiceRouter,
        host: String = "127.0.0.1",
        port: Int,
        maxBodySize: Int = 1 << 20,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.router = router
        self.host = host
        self.port = port
        self.maxBodySize = maxBodySize
        self.logger = logger
        self.group = group
    }

    /// The port the server listens on, once it does.
    public func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let port = bound.withLock { state -> Int? in
                if state.port == nil { state.waiters.append(continuation) }
                return state.port
            }
            if let port { continuation.resume(returning: port) }
        }
    }

    public func run() async throws {
        let server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        do {
            server = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                            wrappingChannelSynchronously: channel
                        )
                    }
                }
        } catch {
            resolveBound(.failure(error))
            throw error
        }
        let port = server.channel.localAddress?.port ?? port
        resolveBound(.success(port))
        logger.info("listening", metadata: ["address": "\(host):\(port)"])
        let connections = self.connections
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
            connections.shutDown()
        }
        logger.info("stopped", metadata: ["address": "\(host):\(port)"])
    }

    private func resolveBound(_ result: Result<Int, any Error>) {
        let waiters = bound.withLock { state in
            if case .success(let port) = result { state.port = port }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        let id = connections.add(connection.channel)
        defer { connections.remove(id) }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        connections.setBusy(id, true)
                        head = requestHead
                        body = []
                        tooLarge = false
                    case .body(let chunk):
                        if body.count + chunk.readableBytes > maxBodySize {
                            tooLarge = true
                        } else {
                            body.append(contentsOf: chunk.readableBytesView)
                        }
                    case .end:
                        guard let requestHead = head else { continue }
                        let response: ServiceResponse
                        if tooLarge {
                            response = .message(.payloadTooLarge, "Request body too large")
                        } else {
                            let request = ServiceRequest(
                                method: requestHead.method,
                                uri: requestHead.uri,
                                headers: requestHead.headers,
                                body: body
                            )
                            response = await router.respond(to: request)
                        }
                        let keepAlive = requestHead.isKeepAlive && !tooLarge && !connections.isShuttingDown
                        try await write(response, version: requestHead.version, keepAlive: keepAlive, to: outbound)
                        connections.setBusy(id, false)
                        if !keepAlive { return }
                        head = nil
                    }
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func write(
        _ response: ServiceResponse,
        version: HTTPVersion,
        keepAlive: Bool,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = response.headers
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        switch response.body {
        case .bytes(let bytes):
            headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
            try await outbound.write(.head(HTTPResponseHead(version: version, status: response.status, headers: headers)))
            if !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
            try await outbound.write(.end(nil))
        case .stream(let chunks):
            headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            try await outbound.write(.head(HTTPResponseHead(version: version, status: response.status, headers: headers)))
            for try await chunk in chunks where !chunk.isEmpty {
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
            }
            try await outbound.write(.end(nil))
        }
    }
}

/// The open connections, so that a shutdown can close the idle ones at once and the busy ones after
/// their response.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [Int: (channel: any Channel, busy: Bool)] = [:]
        var nextID = 0
        var shuttingDown = false
    }

    private let state = Mutex(State())

    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    func add(_ channel: any Channel) -> Int {
        let (id, close) = state.withLock { state in
            state.nextID += 1
            state.channels[state.nextID] = (channel, false)
            return (state.nextID, state.shuttingDown)
        }
        if close { channel.close(promise: nil) }
        return id
    }

    func remove(_ id: Int) {
        _ = state.withLock { $0.channels.removeValue(forKey: id) }
    }

    func setBusy(_ id: Int, _ busy: Bool) {
        state.withLock { $0.channels[id]?.busy = busy }
    }

    func shutDown() {
        let idle = state.withLock { state in
            state.shuttingDown = true
            return state.channels.values.filter { !$0.busy }.map(\.channel)
        }
        for channel in idle { channel.close(promise: nil) }
    }
}
