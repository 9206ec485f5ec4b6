import NIOCore
import NIOHTTP1

/// Turns a client connection's bytes into request parts with the gateway's own HTTP/1 parser
/// (``RequestHeadParser``, ``MessageBodyReader``), in place of NIO's `HTTPRequestDecoder`.
///
/// Why not NIO's decoder: measured with `FLOOR=1 bench/run.sh`, NIO's two HTTP codecs cost a proxy
/// about 16 µs of CPU per request where a byte relay costs 4. This handler is where the byte-level
/// path starts (README, Performance): the head is handed on as parsed in place (``RawRequestHead``),
/// and body bytes as slices of what was read, never copied.
///
/// Errors (malformed or ambiguous heads and bodies, limits) go up the pipeline as
/// ``RequestDecodingError`` and decoding stops; the connection's last handler answers and closes.
///
/// The proxy puts it first in a client connection's pipeline and hands parts straight to its
/// ``sink`` (the connection's ``DownstreamHandler``), and drives the ``ConnectionGuard``: a read
/// then passes through one handler, not three, and no part is boxed into a `NIOAny`.
final class RequestDecoder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ClientRequestPart

    private enum State {
        case head(RequestHeadParser)
        case body(MessageBodyReader)
        case failed
    }

    private let maxRequestLine: Int
    private let maxHeadSize: Int
    private let responseEncoder: ResponseEncoder?
    /// Told when a request's bytes start arriving; started and stopped with the connection.
    let connectionGuard: ConnectionGuard?
    /// Where parts go, called directly; nil: up the pipeline (`fireChannelRead`).
    var sink: (any ClientRequestSink)?
    private var state: State
    private var unconsumed = UnconsumedBytes()

    /// `maxRequestLine`: longest request line (414 beyond); `maxHeadSize`: longest head (431 beyond);
    /// `responseEncoder`: told each request's method, which frames its response.
    init(
        maxRequestLine: Int,
        maxHeadSize: Int,
        responseEncoder: ResponseEncoder? = nil,
        connectionGuard: ConnectionGuard? = nil
    ) {
        self.responseEncoder = responseEncoder
        self.connectionGuard = connectionGuard
        self.maxRequestLine = maxRequestLine
        self.maxHeadSize = maxHeadSize
        self.state = .head(RequestHeadParser(maxRequestLine: maxRequestLine, maxHeadSize: maxHeadSize))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { connectionGuard?.start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connectionGuard?.stop()
        sink = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        connectionGuard?.start(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionGuard?.stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connectionGuard?.bytesArrived()
        unconsumed.append(unwrapInboundIn(data))
        decode(context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let sink {
            sink.requestReadComplete()
        } else {
            context.fireChannelReadComplete()
        }
    }

    private func deliver(_ part: ClientRequestPart, context: ChannelHandlerContext) {
        if let sink {
            sink.requestPart(part)
        } else {
            context.fireChannelRead(wrapInboundOut(part))
        }
    }

    /// Hands on every part the bytes so far make. The state is updated before each part goes up the
    /// pipeline, so whatever the handlers above do meanwhile finds it consistent.
    private func decode(context: ChannelHandlerContext) {
        while var bytes = unconsumed.bytes, bytes.readableBytes > 0 {
            switch state {
            case .failed:
                unconsumed.clear()
                return
            case .head(var parser):
                // Taken out of `state` while it works: a copy left there would share the
                // parser's arrays, and the first field appended would copy them (every branch
                // below sets the next state).
                state = .failed
                switch parser.parse(bytes) {
                case .needMore:
                    state = .head(parser)
                    return
                case .failure(let failure):
                    fail(RequestDecodingError(status: failure.status, reason: failure.reason), context: context)
                    return
                case .head(let head, let consumed):
                    bytes.moveReaderIndex(forwardBy: consumed)
                    unconsumed.keep(bytes)
                    responseEncoder?.requestReceived(head.method)
                    switch head.framing {
                    case .none, .length(0):
                        state = nextHead()
                        deliver(.head(head), context: context)
                        deliver(.end(nil), context: context)
                    case .length(let length):
                        state = .body(MessageBodyReader(length: length))
                        deliver(.head(head), context: context)
                    case .chunked:
                        state = .body(MessageBodyReader(chunkedWithMaxTrailerSize: maxHeadSize))
                        deliver(.head(head), context: context)
                    }
                }
            case .body(var body):
                state = .failed  // taken out while it works, as the parser above
                let read: MessageBodyReader.Read
                do {
                    read = try body.read(&bytes)
                } catch {
                    fail(RequestDecodingError(status: .badRequest, reason: "\(error)"), context: context)
                    return
                }
                unconsumed.keep(bytes)
                state = read.finished ? nextHead() : .body(body)
                if let first = read.first { deliver(.body(first), context: context) }
                for piece in read.rest { deliver(.body(piece), context: context) }
                if read.finished {
                    deliver(.end(body.trailers), context: context)
                } else if read.first == nil {
                    return  // an incomplete chunk line: wait for more
                }
            }
        }
    }

    private func nextHead() -> State {
        .head(RequestHeadParser(maxRequestLine: maxRequestLine, maxHeadSize: maxHeadSize))
    }

    private func fail(_ error: RequestDecodingError, context: ChannelHandlerContext) {
        state = .failed
        unconsumed.clear()
        context.fireErrorCaught(error)
    }
}

/// Takes a client connection's request parts straight from ``RequestDecoder``.
protocol ClientRequestSink: AnyObject {
    /// The next part, in order.
    func requestPart(_ part: ClientRequestPart)
    /// The decoder has handed on everything the last read made.
    func requestReadComplete()
}

/// A request the gateway cannot read: the status to answer with (400, 414 or 431) and why.
struct RequestDecodingError: Error, CustomStringConvertible {
    let status: HTTPResponseStatus
    let reason: String

    var description: String { "\(status.code) \(reason)" }
}
