import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A response as a test sees it.
public struct TestResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public var text: String { String(buffer: body) }

    public func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return object as? [String: Any] ?? [:]
    }
}

/// A keep-alive HTTP/1.1 client connection for tests: requests go out one at a time on the same
/// TCP connection, so tests can observe connection reuse and keep-alive behaviour.
public final class TestConnection: Sendable {
    private let channel: any Channel
    private let collector: ResponseCollector

    public static func connect(port: Int, group: any EventLoopGroup) async throws -> TestConnection {
        let collector = ResponseCollector()
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(CollectingHandler(collector: collector))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return TestConnection(channel: channel, collector: collector)
    }

    private init(channel: any Channel, collector: ResponseCollector) {
        self.channel = channel
        self.collector = collector
    }

    public var isActive: Bool { channel.isActive }

    /// Sends a request (body in chunks of `chunkSize` if given) and waits for the whole response.
    public func request(
        _ method: HTTPMethod = .GET,
        _ uri: String,
        headers: [(String, String)] = [],
        body: ByteBuffer? = nil,
        timeout: TimeAmount = .seconds(20)
    ) async throws -> TestResponse {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: HTTPHeaders(headers))
        if !head.headers.contains(name: "host") { head.headers.add(name: "host", value: "localhost") }
        if let body, !head.headers.contains(name: "content-length"), !head.headers.contains(name: "transfer-encoding") {
            head.headers.add(name: "content-length", value: String(body.readableBytes))
        }
        let future = collector.expect(on: channel.eventLoop)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil))
        return try await withTimeout(timeout, on: channel.eventLoop, future)
    }

    /// Streams `total` deterministic bytes (the same pattern as the upstream's `/bytes/N`) as the body.
    public func upload(_ uri: String, total: Int, chunk: Int = 64 * 1024, headers: [(String, String)] = []) async throws
        -> TestResponse
    {
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: uri, headers: HTTPHeaders(headers))
        head.headers.add(name: "host", value: "localhost")
        head.headers.add(name: "content-length", value: String(total))
        let future = collector.expect(on: channel.eventLoop)
        try await channel.writeAndFlush(HTTPClientRequestPart.head(head))
        var offset = 0
        while offset < total {
            let size = min(chunk, total - offset)
            let buffer = TestPattern.chunk(offset: offset, size: size)
            try await channel.writeAndFlush(HTTPClientRequestPart.body(.byteBuffer(buffer)))
            offset += size
        }
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil))
        return try await withTimeout(.seconds(60), on: channel.eventLoop, future)
    }

    /// Sends `head`, then each of `parts` after a pause (so the gateway sees them as they come), then
    /// the end, and waits for the response. Writes that fail because the gateway already answered
    /// and closed are ignored: the response is what the test looks at.
    public func streamed(head: HTTPRequestHead, parts: [ByteBuffer], pause: TimeAmount, timeout: TimeAmount = .seconds(20))
        async throws -> TestResponse
    {
        var head = head
        if !head.headers.contains(name: "host") { head.headers.add(name: "host", value: "localhost") }
        let future = collector.expect(on: channel.eventLoop)
        try? await channel.writeAndFlush(HTTPClientRequestPart.head(head))
        for part in parts {
            try? await Task.sleep(nanoseconds: UInt64(max(0, pause.nanoseconds)))
            try? await channel.writeAndFlush(HTTPClientRequestPart.body(.byteBuffer(part)))
        }
        try? await channel.writeAndFlush(HTTPClientRequestPart.end(nil))
        return try await withTimeout(timeout, on: channel.eventLoop, future)
    }

    public func close() async {
        try? await channel.close()
    }

    private func withTimeout(_ timeout: TimeAmount, on loop: any EventLoop, _ future: EventLoopFuture<TestResponse>)
        async throws -> TestResponse
    {
        let timer = loop.scheduleTask(in: timeout) { [collector] in collector.fail(TestClientError.timeout) }
        defer { timer.cancel() }
        return try await future.get()
    }
}

public enum TestClientError: Error {
    case timeout
    case closed
}

/// Hands each complete response to the request waiting for it.
final class ResponseCollector: Sendable {
    private let state = Mutex<(waiting: [EventLoopPromise<TestResponse>], partial: TestResponse?)>(([], nil))

    func expect(on loop: any EventLoop) -> EventLoopFuture<TestResponse> {
        let promise = loop.makePromise(of: TestResponse.self)
        state.withLock { $0.waiting.append(promise) } as Void
        return promise.futureResult
    }

    func head(_ head: HTTPResponseHead) {
        state.withLock { $0.partial = TestResponse(status: Int(head.status.code), headers: head.headers, body: ByteBuffer()) }
    }

    func body(_ buffer: ByteBuffer) {
        state.withLock { state in
            var buffer = buffer
            state.partial?.body.writeBuffer(&buffer)
        }
    }

    func end() {
        let (promise, response) = state.withLock { state -> (EventLoopPromise<TestResponse>?, TestResponse?) in
            let response = state.partial
            state.partial = nil
            return (state.waiting.isEmpty ? nil : state.waiting.removeFirst(), response)
        }
        if let promise, let response { promise.succeed(response) }
    }

    func fail(_ error: any Error) {
        let waiting = state.withLock { state in
            defer { state.waiting = [] }
            return state.waiting
        }
        waiting.forEach { $0.fail(error) }
    }
}

final class CollectingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    let collector: ResponseCollector

    init(collector: ResponseCollector) {
        self.collector = collector
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): collector.head(head)
        case .body(let body): collector.body(body)
        case .end: collector.end()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        collector.fail(TestClientError.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        collector.fail(error)
        context.close(promise: nil)
    }
}

/// Raw bytes over TCP, for requests an HTTP client would refuse to send (smuggling, malformed heads).
public enum RawClient {
    /// Sends `request` and returns everything the server sent until it closed or `wait` passed.
    public static func exchange(port: Int, _ request: String, wait: TimeAmount = .seconds(3), group: any EventLoopGroup)
        async throws -> String
    {
        let received = ByteCollector()
        let closed = group.next().makePromise(of: Void.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RawCollector(received: received, closed: closed))
                    }
                }
                .connect(host: "127.0.0.1", port: port)
                .get()
        } catch {
            // No channel will ever complete the promise: complete it here, or NIO reports it leaked.
            closed.fail(error)
            throw error
        }
        do {
            try await channel.writeAndFlush(ByteBuffer(string: request))
        } catch {
            // Closing completes the promise (channelInactive), as on every other path.
            try? await channel.close()
            throw error
        }
        let timer = channel.eventLoop.scheduleTask(in: wait) { closed.succeed(()) }
        try? await closed.futureResult.get()
        timer.cancel()
        try? await channel.close()
        return received.text
    }

    final class RawCollector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: ByteCollector
        let closed: EventLoopPromise<Void>

        init(received: ByteCollector, closed: EventLoopPromise<Void>) {
            self.received = received
            self.closed = closed
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received.append(unwrapInboundIn(data))
        }

        func channelInactive(context: ChannelHandlerContext) {
            closed.succeed(())
        }
    }
}

/// Bytes received by a raw connection.
final class ByteCollector: Sendable {
    private let bytes = Mutex<ByteBuffer>(ByteBuffer())

    func append(_ buffer: ByteBuffer) {
        var buffer = buffer
        _ = bytes.withLock { $0.writeBuffer(&buffer) }
    }

    var text: String { bytes.withLock { String(buffer: $0) } }
}
