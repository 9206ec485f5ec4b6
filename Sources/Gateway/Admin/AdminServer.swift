import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The admin API: a small HTTP server off the proxy path. With an `admin_token` it requires
/// `Authorization: Bearer TOKEN` (or Kong's `Kong-Admin-Token`); without one it answers loopback
/// clients only.
public final class AdminServer: Sendable {
    private let group: any EventLoopGroup
    private let api: AdminAPI

    /// Prepares the server; ``start(at:)`` binds it.
    public init(group: any EventLoopGroup, api: AdminAPI) {
        self.group = group
        self.api = api
    }

    /// Binds and starts serving.
    public func start(at address: ListenAddress) async throws -> any Channel {
        let api = self.api
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(AdminHandler(api: api))
                }
            }
            .bind(host: address.host, port: address.port)
            .get()
    }
}

/// Collects one admin request and answers it through ``AdminAPI``.
final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: AdminAPI
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(api: AdminAPI) {
        self.api = api
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var part):
            if body.readableBytes < 1 << 20 { body.writeBuffer(&part) }
        case .end:
            guard let head else { return }
            self.head = nil
            let peer = context.channel.remoteAddress?.ipAddress
            let request = AdminAPI.Request(
                method: head.method.rawValue,
                uri: head.uri,
                headers: head.headers.map { ($0.name, $0.value) },
                body: String(buffer: body),
                peerIP: peer
            )
            let keepAlive = head.isKeepAlive
            let loop = context.eventLoop
            let promise = loop.makePromise(of: AdminAPI.Response.self)
            let api = self.api
            promise.completeWithTask { await api.handle(request) }
            promise.futureResult.assumeIsolated().whenSuccess { response in
                var headers = HTTPHeaders()
                headers.add(name: "content-type", value: response.contentType)
                headers.add(name: "content-length", value: String(response.body.utf8.count))
                headers.add(name: "server", value: LocalResponseRenderer.serverToken)
                if !keepAlive { headers.add(name: "connection", value: "close") }
                let status = HTTPResponseStatus(statusCode: response.status)
                context.write(
                    self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                    promise: nil
                )
                context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
                let done = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
                if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
            }
        }
    }
}
