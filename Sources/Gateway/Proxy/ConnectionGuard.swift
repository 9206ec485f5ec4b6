import NIOCore

/// The first handler of a client connection: enforces `keepalive_timeout` while the connection is
/// idle and `client_header_timeout` from the first byte of a request until its head is complete, so
/// that slow or silent clients cannot hold the server. Answers 408 when a head is too slow.
///
/// Phase changes only record a timestamp; one check, re-armed lazily, enforces the deadlines, so
/// a busy keep-alive connection schedules nothing per request.
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
    private var phaseStarted = NIODeadline.now()
    private var check: Scheduled<Void>?
    private var checkAt: NIODeadline?
    private var context: ChannelHandlerContext?

    init(headerTimeout: TimeAmount, keepaliveTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.keepaliveTimeout = keepaliveTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { enter(.idle) }
    }

    func channelActive(context: ChannelHandlerContext) {
        enter(.idle)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopChecking()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopChecking()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .idle = phase { enter(.readingHead) }
        context.fireChannelRead(data)
    }

    /// The request head is complete: header timeouts no longer apply.
    func headReceived() {
        phase = .busy
    }

    /// The exchange finished and the connection stays open: wait for the next request.
    func exchangeFinished() {
        enter(.idle)
    }

    private func enter(_ newPhase: Phase) {
        phase = newPhase
        phaseStarted = .now()
        guard let deadline else { return }
        if let checkAt, checkAt <= deadline { return }  // the pending check comes first and will look again
        schedule(at: min(deadline, phaseStarted + headerTimeout))
    }

    /// When the current phase expires, if it can.
    private var deadline: NIODeadline? {
        switch phase {
        case .idle: return phaseStarted + keepaliveTimeout
        case .readingHead: return phaseStarted + headerTimeout
        case .busy: return nil
        }
    }

    private func schedule(at deadline: NIODeadline) {
        guard let context else { return }
        check?.cancel()
        checkAt = deadline
        check = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            check = nil
            checkAt = nil
            runCheck()
        }
    }

    private func stopChecking() {
        check?.cancel()
        check = nil
        checkAt = nil
    }

    private func runCheck() {
        guard let deadline else { return }  // busy: the next phase change re-arms
        let now = NIODeadline.now()
        if now < deadline {
            schedule(at: min(deadline, now + headerTimeout))
        } else {
            expired()
        }
    }

    private func expired() {
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
