import NIOCore
import NIOHTTP1

/// One keep-alive connection to an upstream endpoint, owned by the pool of its event loop.
final class UpstreamConnection {
    let channel: any Channel
    let handler: UpstreamHandler
    /// The connection's response decoder (an exchange sets its relay for the byte-level path).
    let decoder: UpstreamResponseDecoder
    /// Where a request written as bytes enters the pipeline: past NIO's request encoder and the
    /// header validator.
    private let rawOutput: ChannelHandlerContext
    let endpoint: HTTPEndpoint
    /// How many requests this connection has carried (1 on first use).
    var useCount = 0
    /// When it was put back into the pool.
    var idleSince: NIODeadline = .now()
    /// The timeout check of the exchange using the connection; kept across exchanges so that a busy
    /// keep-alive connection does not schedule a timer per request.
    private var watchdog: Scheduled<Void>?
    private var watchdogAt: NIODeadline?
    /// Whether something was written since the last flush.
    private var hasUnflushedWrites = false

    init(
        channel: any Channel,
        handler: UpstreamHandler,
        decoder: UpstreamResponseDecoder,
        rawOutput: ChannelHandlerContext,
        endpoint: HTTPEndpoint
    ) {
        self.channel = channel
        self.handler = handler
        self.decoder = decoder
        self.rawOutput = rawOutput
        self.endpoint = endpoint
    }

    /// Whether the connection can carry another request.
    var isUsable: Bool { channel.isActive && !handler.isClosed }

    func write(_ part: HTTPClientRequestPart) {
        hasUnflushedWrites = true
        channel.write(part, promise: nil)
    }

    /// Sends what was written; nothing when nothing was. From the encoder's context: the handlers
    /// behind it do not hold writes back, and a flush need not walk through them.
    func flush() {
        guard hasUnflushedWrites else { return }
        hasUnflushedWrites = false
        rawOutput.flush()
    }

    /// Writes a request head built as bytes; `method` tells the response decoder how its answer
    /// is framed.
    func writeRawHead(_ head: ByteBuffer, method: HTTPMethod) {
        decoder.requestSent(method)
        hasUnflushedWrites = true
        rawOutput.write(NIOAny(IOData.byteBuffer(head)), promise: nil)
    }

    /// Body bytes of a request written as bytes (sent as they are: the head's `Content-Length`
    /// frames them).
    func writeRawBody(_ bytes: ByteBuffer) {
        hasUnflushedWrites = true
        rawOutput.write(NIOAny(IOData.byteBuffer(bytes)), promise: nil)
    }

    func close() {
        handler.receiver = nil
        decoder.relay = nil
        watchdog?.cancel()
        watchdog = nil
        watchdogAt = nil
        channel.close(promise: nil)
    }

    /// Makes sure the current exchange's deadlines are checked no later than `deadline`.
    func checkDeadline(by deadline: NIODeadline) {
        if let watchdogAt, watchdogAt <= deadline { return }
        watchdog?.cancel()
        watchdogAt = deadline
        // Strong: `close()` cancels the check (a weak capture would give the connection a side
        // table, and every retain and release of it would take the runtime's slow path).
        watchdog = channel.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            self.watchdog = nil
            self.watchdogAt = nil
            if let next = self.handler.receiver?.upstreamDeadlineCheck() { self.checkDeadline(by: next) }
        }
    }
}
