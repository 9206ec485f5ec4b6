import NIOCore
import NIOHTTP1
import NIOPosix

/// The least a SwiftNIO proxy can do per request, to tell how much of the gateway's cost is NIO's:
///
/// - `relay`: every client connection gets its own upstream connection and bytes are copied both ways
///   unchanged (no HTTP at all: the floor of NIO's channel I/O);
/// - `http`: the same pairing, with NIO's HTTP/1 codecs on both sides and the parts handed across
///   (the prefix `/api` stripped), as a proxy written on NIO's codecs must at least do.
///
/// Neither is a proxy anyone should run: no pooling, timeouts, back-pressure or header rules.
@main
struct NIOFloor {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 4, let listenPort = Int(arguments[2]), let upstreamPort = Int(arguments[3]),
            arguments[1] == "relay" || arguments[1] == "http"
        else {
            print("usage: nio-floor relay|http LISTEN_PORT UPSTREAM_PORT [THREADS]")
            return
        }
        let threads = arguments.count > 4 ? Int(arguments[4]) ?? 2 : 2
        let http = arguments[1] == "http"
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let upstream = try SocketAddress(ipAddress: "127.0.0.1", port: upstreamPort)
        let server = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 4)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if http {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                            withPipeliningAssistance: false, withErrorHandling: false)
                        try channel.pipeline.syncOperations.addHandler(HTTPSide<Downstream>(upstream: upstream))
                    } else {
                        try channel.pipeline.syncOperations.addHandler(RelaySide(upstream: upstream))
                    }
                }
            }
            .bind(host: "127.0.0.1", port: listenPort).wait()
        print("nio-floor \(arguments[1]) on 127.0.0.1:\(listenPort) → :\(upstreamPort), \(threads) loops")
        try server.closeFuture.wait()
    }
}

/// One side of a byte relay: what it reads is written to its peer (the other connection of the pair).
final class RelaySide: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?
    private var peer: RelaySide?
    private var waiting: [ByteBuffer] = []
    private let upstream: SocketAddress?

    /// `upstream` is set on the client side, which opens the upstream connection when it becomes active.
    init(upstream: SocketAddress?) { self.upstream = upstream }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelActive(context: ChannelHandlerContext) {
        guard let upstream else { return }
        let loop = context.eventLoop
        let me = NIOLoopBound(self, eventLoop: loop)
        ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let side = RelaySide(upstream: nil)
                    side.peer = me.value
                    me.value.peer = side
                    try channel.pipeline.syncOperations.addHandler(side)
                }
            }
            .connect(to: upstream)
            .whenComplete { result in
                switch result {
                case .success: me.value.flushWaiting()
                case .failure: me.value.context?.close(promise: nil)
                }
            }
        context.fireChannelActive()
    }

    private func flushWaiting() {
        guard let peerContext = peer?.context else { return }
        for buffer in waiting { peerContext.write(NIOAny(buffer), promise: nil) }
        waiting.removeAll()
        peerContext.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if let peerContext = peer?.context {
            peerContext.write(NIOAny(buffer), promise: nil)
        } else {
            waiting.append(buffer)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) { peer?.context?.flush() }

    func channelInactive(context: ChannelHandlerContext) {
        peer?.context?.close(promise: nil)
        peer = nil
    }
}

/// Which way an `HTTPSide` faces: the client's (server codec) or the upstream's (client codec).
protocol HTTPDirection {
    associatedtype In
    associatedtype Out
    associatedtype PeerIn
    /// What this side read, as the part its peer writes.
    static func translate(_ part: In) -> PeerIn
}

enum Downstream: HTTPDirection {
    typealias In = HTTPServerRequestPart
    typealias Out = HTTPServerResponsePart
    typealias PeerIn = HTTPClientRequestPart

    static func translate(_ part: HTTPServerRequestPart) -> HTTPClientRequestPart {
        switch part {
        case .head(var head):
            if head.uri.hasPrefix("/api") { head.uri = String(head.uri.dropFirst(4)) }
            if head.uri.isEmpty || head.uri.first != "/" { head.uri = "/" + head.uri }
            return .head(head)
        case .body(let body): return .body(.byteBuffer(body))
        case .end(let trailers): return .end(trailers)
        }
    }
}

enum Upstream: HTTPDirection {
    typealias In = HTTPClientResponsePart
    typealias Out = HTTPClientRequestPart
    typealias PeerIn = HTTPServerResponsePart

    static func translate(_ part: HTTPClientResponsePart) -> HTTPServerResponsePart {
        switch part {
        case .head(let head): return .head(head)
        case .body(let body): return .body(.byteBuffer(body))
        case .end(let trailers): return .end(trailers)
        }
    }
}

/// One side of an HTTP pair: parts it reads go to the peer's codec, translated.
final class HTTPSide<Direction: HTTPDirection>: ChannelInboundHandler {
    typealias InboundIn = Direction.In
    typealias OutboundOut = Direction.Out

    fileprivate var context: ChannelHandlerContext?
    /// The peer's context: parts are written into its pipeline at its handler.
    fileprivate var peerContext: () -> ChannelHandlerContext? = { nil }
    fileprivate var closePeer: () -> Void = {}
    private var waiting: [Direction.PeerIn] = []
    private let upstream: SocketAddress?

    init(upstream: SocketAddress?) { self.upstream = upstream }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelActive(context: ChannelHandlerContext) {
        if let upstream, let me = self as? HTTPSide<Downstream> { me.connect(to: upstream, on: context.eventLoop) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = Direction.translate(unwrapInboundIn(data))
        if let peer = peerContext() {
            peer.write(NIOAny(part), promise: nil)
        } else {
            waiting.append(part)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) { peerContext()?.flush() }

    func channelInactive(context: ChannelHandlerContext) { closePeer() }

    fileprivate func flushWaiting() {
        guard let peer = peerContext() else { return }
        for part in waiting { peer.write(NIOAny(part), promise: nil) }
        waiting.removeAll()
        peer.flush()
    }
}

extension HTTPSide where Direction == Downstream {
    fileprivate func connect(to upstream: SocketAddress, on loop: any EventLoop) {
        let me = NIOLoopBound(self, eventLoop: loop)
        ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let side = HTTPSide<Upstream>(upstream: nil)
                    let client = me.value
                    side.peerContext = { [weak client] in client?.context }
                    side.closePeer = { [weak client] in client?.context?.close(promise: nil) }
                    client.peerContext = { [weak side] in side?.context }
                    client.closePeer = { [weak side] in side?.context?.close(promise: nil) }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(side)
                }
            }
            .connect(to: upstream)
            .whenComplete { result in
                switch result {
                case .success: me.value.flushWaiting()
                case .failure: me.value.context?.close(promise: nil)
                }
            }
    }
}
