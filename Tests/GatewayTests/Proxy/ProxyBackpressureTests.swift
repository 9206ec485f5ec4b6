import GatewayTestSupport
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing

@testable import Gateway

/// A slow side pauses the other: the gateway never reads faster than it can write, so its memory
/// stays flat however large the body (proved by how far the fast side gets while the slow side stalls).
@Suite struct ProxyBackpressureTests {
    static func config(port: Int) -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
          drain_timeout: 1s
        services:
          - url: http://127.0.0.1:\(port)
            read_timeout: 60000
            routes: [{paths: [/]}]
        """
    }

    /// Well above what loopback socket buffers and NIO's write watermarks can hold together, and far
    /// below the 400 MB the fast side would push without back-pressure.
    static let bound = 48 * 1024 * 1024

    @Test func aStalledUpstreamStopsTheUpload() async throws {
        let stalled = try await StalledServer.start(mode: .neverReadBody)
        let gateway = try await GatewayHarness.start(Self.config(port: stalled.port))
        let sent = Atomic<Int>(0)
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: gateway.proxyPort).get()
        let total = 400 * 1024 * 1024
        let head = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: \(total)\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: head))
        let chunk = ByteBuffer(repeating: 0x42, count: 256 * 1024)
        let uploader = Task {
            var offset = 0
            while offset < total, !Task.isCancelled {
                try await channel.writeAndFlush(chunk)
                offset += chunk.readableBytes
                sent.store(offset, ordering: .relaxed)
            }
        }
        try await Task.sleep(for: .seconds(3))
        let progressed = sent.load(ordering: .relaxed)
        uploader.cancel()
        try? await channel.close()
        _ = await uploader.result
        #expect(progressed < Self.bound, "the gateway read \(progressed) bytes it could not forward")
        #expect(progressed > 0)
        await gateway.stop()
        await stalled.stop()
    }

    @Test func aClientThatDoesNotReadStopsTheDownload() async throws {
        let flooding = try await StalledServer.start(mode: .floodResponse(bytes: 400 * 1024 * 1024))
        let gateway = try await GatewayHarness.start(Self.config(port: flooding.port))
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.autoRead, value: false)
            .connect(host: "127.0.0.1", port: gateway.proxyPort)
            .get()
        try await channel.writeAndFlush(ByteBuffer(string: "GET /download HTTP/1.1\r\nHost: x\r\n\r\n"))
        try await Task.sleep(for: .seconds(3))
        let written = flooding.bytesWritten
        #expect(written < Self.bound, "the gateway took \(written) bytes it could not deliver")
        #expect(written > 0)
        try? await channel.close()
        await gateway.stop()
        await flooding.stop()
    }
}

/// A raw upstream that either never reads a request body or floods a response as fast as the socket takes it.
final class StalledServer: Sendable {
    enum Mode: Sendable {
        case neverReadBody
        case floodResponse(bytes: Int)
    }

    private let channel: any Channel
    private let written: Counter
    var port: Int { channel.localAddress?.port ?? 0 }
    var bytesWritten: Int { written.value }

    static func start(mode: Mode) async throws -> StalledServer {
        let written = Counter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StallingHandler(mode: mode, written: written))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return StalledServer(channel: channel, written: written)
    }

    private init(channel: any Channel, written: Counter) {
        self.channel = channel
        self.written = written
    }

    func stop() async { try? await channel.close() }

    final class Counter: Sendable {
        private let count = Atomic<Int>(0)
        func add(_ value: Int) { count.add(value, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    final class StallingHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let mode: Mode
        let written: Counter
        var remaining = 0
        var started = false

        init(mode: Mode, written: Counter) {
            self.mode = mode
            self.written = written
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch mode {
            case .neverReadBody:
                // The head arrived (with the start of the body): stop reading for good.
                _ = context.channel.setOption(.autoRead, value: false)
            case .floodResponse(let bytes):
                guard !started else { return }
                started = true
                remaining = bytes
                context.write(
                    wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: \(bytes)\r\n\r\n")),
                    promise: nil
                )
                pump(context)
            }
        }

        func channelWritabilityChanged(context: ChannelHandlerContext) {
            if context.channel.isWritable { pump(context) }
        }

        private func pump(_ context: ChannelHandlerContext) {
            let chunk = ByteBuffer(repeating: 0x41, count: 64 * 1024)
            while remaining > 0, context.channel.isWritable {
                let size = min(remaining, chunk.readableBytes)
                remaining -= size
                let counter = written
                context.writeAndFlush(wrapOutboundOut(chunk.getSlice(at: 0, length: size) ?? chunk)).whenSuccess {
                    counter.add(size)
                }
            }
        }
    }
}
