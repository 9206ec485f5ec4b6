import NIOCore

/// The first handler of a client connection: enforces `keepalive_timeout` while the connection is
/// idle and `client_header_timeout` from the first byte of a request until its head is complete, so
/// that slow or silent clients cannot hold the server. Answers 408 when a head is too slow.
final class ConnectionGuard: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum Phase {
        /// Between requests: no byte of the next request yet.
        case idle
        /// Bytes of a request head are arriving.
        case readingHead
        /// A request is being handled; its own timeouts apply.
        case busy
    }

    private let headerTimeout: TimeAmount
    private let keepaliveTimeout: TimeAmount
    private var phase = Phase.idle
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(headerTimeout: TimeAmount, keepaliveTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.keepaliveTimeout = keepaliveTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { arm(keepaliveTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(keepaliveTimeout)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .idle = phase {
            phase = .readingHead
            arm(headerTimeout)
        }
        context.fireChannelRead(data)
    }

    /// The request head is complete: header timeouts no longer apply.
    func headReceived() {
        phase = .busy
        timer?.cancel()
        timer = nil
    }

    /// The exchange finished and the connection stays open: wait for the next request.
    func exchangeFinished() {
        phase = .idle
        arm(keepaliveTimeout)
    }

    private func arm(_ timeout: TimeAmount) {
        timer?.cancel()
        guard let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            self.expired()
        }
    }

    private func expired() {
        timer = nil
        guard let context else { return }
        switch phase {
        case .idle:
            context.close(promise: nil)
        case .readingHead:
            // The decoder never produced a head, so nothing was written: answer 408 on the wire.
            var buffer = context.channel.allocator.buffer(capacity: 128)
            let body = #"{"message":"Request timeout"}"#
            buffer.writeString(
                "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json; charset=utf-8\r\n"
                    + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
            )
            context.writeAndFlush(NIOAny(buffer)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        case .busy:
            break
        }
    }
}
