import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP upstream on 127.0.0.1 whose behaviour is chosen by the request path, for driving the
/// gateway through its cases:
/// - `/echo...`: 200 with the request as JSON (`method`, `uri`, `headers`, `body_bytes`).
/// - `/checksum...`: reads the whole body and answers `{"bytes": N, "crc32": C}`.
/// - `/bytes/N`: streams N deterministic bytes, chunked.
/// - `/slow/MS...`: answers after MS milliseconds.
/// - `/close...`: closes the connection without answering.
/// - `/status/N`: answers status N.
/// - `/mirror...`: like `/echo`, plus the request body as text (`body`).
/// - `/response-headers?NAME=VALUE...`: 200 with those headers and the arguments as a JSON body
///   (`Content-Type: application/json` unless an argument sets it), as httpbin's.
/// - `/json-chunked/N`: a chunked `application/json` object `{"data":"xxx..."}` of about N bytes.
public final class TestUpstream: Sendable {
    public let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    public var port: Int { channel.localAddress?.port ?? 0 }

    public init() async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let counter = Counter()
        let requestCounter = Counter()
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counter.increment()
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(requests: requestCounter))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        counterBox = counter
        requestCounterBox = requestCounter
    }

    private let counterBox: Counter
    private let requestCounterBox: Counter
    /// TCP connections accepted so far.
    public var accepts: Int { counterBox.value }
    /// Request heads received so far (counted as they arrive, before any answer).
    public var requests: Int { requestCounterBox.value }

    public func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    final class Counter: Sendable {
        private let count = Atomic<Int>(0)
        func increment() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }
}

/// Answers one scripted request at a time.
final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let requests: TestUpstream.Counter
    private var head: HTTPRequestHead?
    private var bodyBytes = 0
    private var crc = CRC32()
    private var mirrored: ByteBuffer?

    init(requests: TestUpstream.Counter) { self.requests = requests }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requests.increment()
            self.head = head
            bodyBytes = 0
            crc = CRC32()
            mirrored = head.uri.hasPrefix("/mirror") ? ByteBuffer() : nil
            if head.uri.hasPrefix("/close") {
                context.close(promise: nil)
            }
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            buffer.withUnsafeReadableBytes { crc.update($0) }
            mirrored?.writeImmutableBuffer(buffer)
        case .end:
            guard let head else { return }
            respond(context: context, head: head)
        }
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
        if path.hasPrefix("/slow/"), let millis = Int(path.dropFirst(6).prefix { $0.isNumber }) {
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(millis))) {
                self.writeJSON(context: context, status: .ok, object: ["slept_ms": millis], keepAlive: head.isKeepAlive)
            }
            return
        }
        if path.hasPrefix("/status/"), let code = Int(path.dropFirst(8)) {
            writeJSON(
                context: context,
                status: HTTPResponseStatus(statusCode: code),
                object: ["status": code],
                keepAlive: head.isKeepAlive
            )
            return
        }
        if path.hasPrefix("/bytes/"), let count = Int(path.dropFirst(7)) {
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "application/octet-stream")
            headers.add(name: "x-upstream-connection", value: "keep-alive")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                promise: nil
            )
            var remaining = count
            var offset = 0
            while remaining > 0 {
                let size = min(remaining, 64 * 1024)
                let buffer = TestPattern.chunk(offset: offset, size: size)
                context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                remaining -= size
                offset += size
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        if path == "/response-headers" {
            respondWithHeaders(context: context, head: head)
            return
        }
        if path.hasPrefix("/json-chunked/"), let size = Int(path.dropFirst(14)) {
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "application/json")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                promise: nil
            )
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "{\"data\":\"")))), promise: nil)
            var remaining = max(0, size - 11)
            while remaining > 0 {
                let count = min(remaining, 64 * 1024)
                context.write(
                    wrapOutboundOut(.body(.byteBuffer(ByteBuffer(repeating: UInt8(ascii: "x"), count: count)))),
                    promise: nil
                )
                remaining -= count
            }
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "\"}")))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        if path.hasPrefix("/checksum") {
            writeJSON(
                context: context,
                status: .ok,
                object: ["bytes": bodyBytes, "crc32": Int(crc.value)],
                keepAlive: head.isKeepAlive
            )
            return
        }
        var headers: [String: Any] = [:]
        for header in head.headers {
            let name = header.name.lowercased()
            if let existing = headers[name] as? String {
                headers[name] = existing + ", " + header.value
            } else {
                headers[name] = header.value
            }
        }
        var echoed: [String: Any] = [
            "method": head.method.rawValue, "uri": head.uri, "headers": headers, "body_bytes": bodyBytes,
        ]
        if let mirrored { echoed["body"] = String(buffer: mirrored) }
        writeJSON(
            context: context,
            status: .ok,
            object: echoed,
            keepAlive: head.isKeepAlive,
            extraHeaders: [("Connection", "keep-alive, X-Hop"), ("X-Hop", "secret"), ("Keep-Alive", "timeout=5")]
        )
    }

    private func respondWithHeaders(context: ChannelHandlerContext, head: HTTPRequestHead) {
        var headers = HTTPHeaders()
        var arguments: [String: String] = [:]
        let query = head.uri.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            guard let name = parts.first else { continue }
            let value = parts.count > 1 ? parts[1] : ""
            headers.add(name: name, value: value)
            arguments[name] = value
        }
        if !headers.contains(name: "content-type") { headers.add(name: "content-type", value: "application/json") }
        let data = (try? JSONSerialization.data(withJSONObject: arguments, options: [.sortedKeys])) ?? Data()
        headers.replaceOrAdd(name: "content-length", value: String(data.count))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: data)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func writeJSON(
        context: ChannelHandlerContext,
        status: HTTPResponseStatus,
        object: [String: Any],
        keepAlive: Bool,
        extraHeaders: [(String, String)] = []
    ) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        var headers = HTTPHeaders(extraHeaders)
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(data.count))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: data)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

/// CRC-32 (IEEE), to check that bodies crossed the gateway intact.
public struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
    private var state: UInt32 = 0xFFFF_FFFF

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = state
        for byte in bytes { crc = Self.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        state = crc
    }

    public var value: UInt32 { state ^ 0xFFFF_FFFF }
}

/// The deterministic byte pattern test bodies use: byte `i` of a body is `i % 251`.
public enum TestPattern {
    /// One period and a chunk more, so any chunk is one slice of it.
    private static let source: ByteBuffer = {
        var buffer = ByteBuffer()
        for index in 0..<(251 + 256 * 1024) { buffer.writeInteger(UInt8(index % 251)) }
        return buffer
    }()

    /// The `size` bytes at `offset` of a pattern body (size up to 256 KiB).
    public static func chunk(offset: Int, size: Int) -> ByteBuffer {
        source.getSlice(at: offset % 251, length: size) ?? ByteBuffer()
    }
}
