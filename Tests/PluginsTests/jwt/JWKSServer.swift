import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A real JWKS endpoint on 127.0.0.1 for tests: serves whatever key set the test sets, with a
/// chosen `Cache-Control`, counts fetches, and can be taken "down" (answers 503, or closes).
final class JWKSServer: Sendable {
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let channel: any Channel
    let state: JWKSServerState

    private let isTLS: Bool

    var port: Int { channel.localAddress?.port ?? 0 }
    var uri: String { uri(host: "127.0.0.1") }

    /// The key set's URL with `host` (which must name 127.0.0.1).
    func uri(host: String) -> String { "\(isTLS ? "https" : "http")://\(host):\(port)/.well-known/jwks.json" }

    /// Starts the server; with `tls`, it speaks HTTPS with ``TLSFixtures``' certificate.
    init(tls: Bool = false) async throws {
        let state = JWKSServerState()
        self.state = state
        isTLS = tls
        let tlsContext = tls ? try TLSFixtures.serverContext() : nil
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(JWKSServerHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// What the server answers, changed by tests while it runs.
final class JWKSServerState: Sendable {
    struct Settings {
        var body = #"{"keys":[]}"#
        var cacheControl: String? = "max-age=300"
        var down = false
        var fetches = 0
    }

    let settings = Mutex(Settings())

    func serve(keys: [String], cacheControl: String? = "max-age=300") {
        settings.withLock {
            $0.body = #"{"keys":["# + keys.joined(separator: ",") + "]}"
            $0.cacheControl = cacheControl
            $0.down = false
        }
    }

    func setDown(_ down: Bool) { settings.withLock { $0.down = down } }
    var fetches: Int { settings.withLock { $0.fetches } }
}

private final class JWKSServerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let state: JWKSServerState

    init(state: JWKSServerState) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let settings = state.settings.withLock { settings -> JWKSServerState.Settings in
            settings.fetches += 1
            return settings
        }
        var headers = HTTPHeaders()
        let status: HTTPResponseStatus = settings.down ? .serviceUnavailable : .ok
        let body = settings.down ? "down" : settings.body
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        if let cacheControl = settings.cacheControl { headers.add(name: "Cache-Control", value: cacheControl) }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
