import NIOCore
import NIOHTTP1

/// The tail handler of a client connection: turns request parts (straight from ``RequestDecoder``)
/// into exchanges, one at a time (a pipelined request waits until the response before it ends),
/// withholds `read()` while an exchange cannot take more request bytes (back-pressure), and answers
/// protocol errors.
final class DownstreamHandler: ChannelDuplexHandler, ClientRequestSink {
    typealias InboundIn = ClientRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let environment: ProxyEnvironment
    let connectionGuard: ConnectionGuard
    private(set) var context: ChannelHandlerContext?
    /// Where a response relayed as bytes is written: past the encoder (and the header validator),
    /// which is told so that it keeps its count of requests answered.
    private var rawOutput: (encoder: ResponseEncoder, context: ChannelHandlerContext)?
    private var exchange: ProxyExchange?
    private var readPending = false
    /// Whether something was written since the last flush (a flush with nothing to send still
    /// walks the pipeline).
    private var hasUnflushedWrites = false
    /// Requests that arrived (pipelined) while another was being handled, replayed in order.
    private var pipelined = CircularBuffer<ClientRequestPart>()
    /// Request ids for this connection's requests.
    var requestIDs = RequestIDGenerator()
    /// Set once the connection is closing: no new exchange starts.
    private(set) var isClosing = false
    /// The client's address and its text form, worked out once per connection (not per request:
    /// formatting an address is a `inet_ntop`).
    private(set) lazy var peer: (address: SocketAddress?, ip: String) = {
        let address = context?.channel.remoteAddress
        return (address, address?.ipAddress ?? "0.0.0.0")
    }()

    init(environment: ProxyEnvironment, connectionGuard: ConnectionGuard) {
        self.environment = environment
        self.connectionGuard = connectionGuard
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let sync = context.pipeline.syncOperations
        if let encoder = try? sync.handler(type: ResponseEncoder.self), let encoderContext = try? sync.context(handler: encoder) {
            rawOutput = (encoder, encoderContext)
        }
        // Parts come straight from the decoder, not through the pipeline.
        if let decoder = try? sync.handler(type: RequestDecoder.self) { decoder.sink = self }
        environment.connections.opened()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        rawOutput = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        requestPart(unwrapInboundIn(data))
    }

    func requestPart(_ part: ClientRequestPart) {
        // A client may pipeline: a request that arrives while another is in flight waits its turn
        // (and reading stops until then, see `read`).
        if !pipelined.isEmpty || (exchange?.isRequestComplete ?? false) {
            pipelined.append(part)
            return
        }
        deliver(part)
    }

    private func deliver(_ part: ClientRequestPart) {
        switch part {
        case .head(let head):
            guard exchange == nil, !isClosing else { return }
            connectionGuard.headReceived()
            let exchange = ProxyExchange(handler: self, raw: head)
            self.exchange = exchange
            exchange.start()
        case .body(let body):
            exchange?.requestBody(body)
        case .end:
            exchange?.requestEnd()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        requestReadComplete()
        context.fireChannelReadComplete()
    }

    func requestReadComplete() {
        exchange?.downstreamReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if !pipelined.isEmpty || (exchange?.pausesDownstreamReads ?? false) {
            readPending = true
        } else {
            context.read()
        }
    }

    /// Re-issues a withheld `read()` once the exchange can take bytes again.
    func resumeReadsIfNeeded() {
        guard readPending, let context, pipelined.isEmpty, !(exchange?.pausesDownstreamReads ?? false) else { return }
        readPending = false
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        exchange?.downstreamWritabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosing = true
        exchange?.downstreamClosed()
        exchange = nil
        environment.connections.closed()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            // Graceful shutdown: finish the exchange in flight, then close; an idle connection closes now.
            isClosing = true
            if exchange == nil { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let decodingError = error as? RequestDecodingError, exchange == nil || exchange?.responseStarted == false {
            exchange?.abandon()
            exchange = nil
            isClosing = true
            let message: String
            switch decodingError.status {
            case .requestHeaderFieldsTooLarge: message = "Request header or cookie too large"
            case .uriTooLong: message = "Request-URI too long"
            default: message = "Bad request"
            }
            let status = decodingError.status
            let requestID = requestIDs.make()
            let parts = LocalResponseRenderer.render(
                .message(status, message),
                requestID: requestID,
                keepAlive: false
            )
            context.write(wrapOutboundOut(.head(parts.head)), promise: nil)
            if let body = parts.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
            return
        }
        exchange?.abandon()
        exchange = nil
        context.close(promise: nil)
    }

    // MARK: Used by the exchange

    func write(_ part: HTTPServerResponsePart) {
        hasUnflushedWrites = true
        context?.write(wrapOutboundOut(part), promise: nil)
    }

    /// Sends what was written; nothing when nothing was. From the encoder's context when there is
    /// one: the handlers between here and there do not hold writes back, and need not see it.
    func flush() {
        guard hasUnflushedWrites else { return }
        hasUnflushedWrites = false
        if let rawOutput {
            rawOutput.context.flush()
        } else {
            context?.flush()
        }
    }

    /// Whether responses can be written as bytes (the pipeline has the gateway's encoder).
    var canWriteRaw: Bool { rawOutput != nil }

    /// Starts a response written as bytes: `head` is its whole head, already framed.
    func writeRawHead(_ head: ByteBuffer) {
        guard let rawOutput else { return }
        rawOutput.encoder.responseWrittenAsBytes()
        hasUnflushedWrites = true
        rawOutput.context.write(NIOAny(IOData.byteBuffer(head)), promise: nil)
    }

    /// Body bytes of a response written as bytes, framing included.
    func writeRawBody(_ bytes: ByteBuffer) {
        hasUnflushedWrites = true
        rawOutput?.context.write(NIOAny(IOData.byteBuffer(bytes)), promise: nil)
    }

    var isWritable: Bool { context?.channel.isWritable ?? false }

    /// The exchange is over (response written, request consumed).
    func exchangeFinished(_ finished: ProxyExchange, closeConnection: Bool) {
        guard exchange === finished else { return }
        exchange = nil
        if closeConnection || isClosing {
            isClosing = true
            pipelined.removeAll()
            context?.close(promise: nil)
        } else {
            connectionGuard.exchangeFinished()
            // Replay pipelined parts until one of them starts an exchange that is still running.
            while exchange == nil || !(exchange?.isRequestComplete ?? true), let part = pipelined.popFirst() {
                deliver(part)
            }
            resumeReadsIfNeeded()
        }
    }

    /// Stops writing and reading: the exchange failed after its response started.
    func abort(_ failed: ProxyExchange) {
        guard exchange === failed else { return }
        exchange = nil
        isClosing = true
        context?.close(promise: nil)
    }
}
