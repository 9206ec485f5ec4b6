import NIOCore
import NIOPosix

/// An upstream on 127.0.0.1 that answers every request head with the same raw bytes, whatever they
/// are: for responses no HTTP server would send (two lengths, a `101`, bytes that are not HTTP).
/// It never closes a connection itself, so a gateway's answer cannot come from seeing it close.
public final class RawUpstream: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    public var port: Int { channel.localAddress?.port ?? 0 }

    public init(answer: String) async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Answerer(answer: answer))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    public func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    /// Writes the answer each time a request head (up to its blank line) has arrived.
    private final class Answerer: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        private let answer: String
        private var received = ""

        init(answer: String) {
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += String(buffer: unwrapInboundIn(data))
            while let end = received.range(of: "\r\n\r\n") {
                received = String(received[end.upperBound...])
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer)), promise: nil)
            }
        }
    }
}
