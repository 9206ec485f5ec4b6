import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An HTTP endpoint for `http-log` tests: records every request and answers `failures` 500s before
/// answering 200, or (`silent`) never answers.
final class LogCollector: Sendable {
    struct Received: Sendable {
        let method: HTTPMethod
        let uri: String
        let headers: HTTPHeaders
        let body: String
    }

    let port: Int
    private let channel: any Channel
    private let storage: Storage

    final class Storage: Sendable {
        let received = Mutex<[Received]>([])
        let failuresLeft: Mutex<Int>
        let silent: Bool
        init(failures: Int, silent: Bool) {
            failuresLeft = Mutex(failures)
            self.silent = silent
        }
    }

    init(failures: Int = 0, silent: Bool = false) async throws {
        let storage = Storage(failures: failures, silent: silent)
        self.storage = storage
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(CollectorHandler(storage: storage))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    var received: [Received] { storage.received.withLock { $0 } }

    func stop() async { try? await channel.close() }

    private final class CollectorHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let storage: Storage
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(storage: Storage) { self.storage = storage }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.clear()
            case .body(var chunk):
                body.writeBuffer(&chunk)
            case .end:
                guard let head else { return }
                storage.received.withLock {
                    $0.append(Received(method: head.method, uri: head.uri, headers: head.headers, body: String(buffer: body)))
                }
                if storage.silent { return }
                let fail = storage.failuresLeft.withLock { left -> Bool in
                    guard left > 0 else { return false }
                    left -= 1
                    return true
                }
                var headers = HTTPHeaders([("content-length", "0")])
                if !head.isKeepAlive { headers.add(name: "connection", value: "close") }
                let response = HTTPResponseHead(version: .http1_1, status: fail ? .internalServerError : .ok, headers: headers)
                context.write(wrapOutboundOut(.head(response)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
