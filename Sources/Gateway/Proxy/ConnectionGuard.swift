import NIOCore

/// Enforces `keepalive_timeout` while a client connection is idle and `client_header_timeout` from
/// the first byte of a request until its head is complete, so that slow or silent clients cannot
/// hold the server. Answers 408 when a head is too slow.
///
/// Not a handler of its own: ``RequestDecoder``, the first handler of a client connection, drives
/// it (it sees every byte arrive and every head complete), so that reads do not pass through one
/// more handler. Its writes go out from the decoder's context, straight to the socket.
///
/// Phase changes only record a timestamp; one check, re-armed lazily, enforces the deadlines, so
/// a busy keep-alive connection schedules nothing per request.
final class ConnectionGuard {
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

    /// The connection is open: from now on it may not stay idle longer than `keepalive_timeout`.
    /// `context` is where the 408 and the close go from (the decoder's: nothing in front of it).
    func start(context: ChannelHandlerContext) {
        guard self.context == nil else { return }
        self.context = context
        enter(.idle)
    }

    /// The connection closed or left the pipeline: nothing more to enforce.
    func stop() {
        stopChecking()
        context = nil
    }

    /// Bytes arrived: the first of a request starts its head's clock.
    func bytesArrived() {
        if case .idle = phase { enter(.readingHead) }
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
