import NIOCore
import NIOHTTP1

/// Turns an upstream connection's bytes into response parts with the gateway's own HTTP/1 parser
/// (``ResponseHeadParser``, ``MessageBodyReader``), in place of NIO's `HTTPResponseDecoder`; the
/// upstream side of the byte-level path that ``RequestDecoder`` starts on the client side.
///
/// It watches the requests going out, because a response's framing depends on its request: the
/// response to a `HEAD` has no body. Informational responses (`100 Continue`) are dropped, as NIO's
/// decoder does by default; `101 Switching Protocols` is an error, since the gateway never forwards
/// an `Upgrade`. A response without length or chunking ends when the upstream closes. Errors go up
/// the pipeline as ``UpstreamResponseError`` and decoding stops.
///
/// With a ``relay`` set (the exchange sets one on routes without plugins), a final response is
/// offered to it as a head parsed in place; if it takes it, the body goes to it as the bytes
/// received, chunk framing included, and no parts are made at all.
final class UpstreamResponseDecoder: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    private enum State {
        case head(ResponseHeadParser)
        /// A body of known length or chunked: as parts, or to the relay as received.
        case body(MessageBodyReader)
        case untilClose
        case failed
    }

    /// Takes the next final response as bytes when it says so (the byte-level path); nil: parts.
    /// Strong, and cleared with ``UpstreamHandler/receiver`` (see there why not weak).
    var relay: (any UpstreamResponseRelay)?

    /// NIO's default limit for a response head.
    static let defaultMaxHeadSize = 80 * 1024

    private let maxHeadSize: Int
    private var state: State
    private var unconsumed = UnconsumedBytes()
    /// The methods of requests sent and not yet answered, oldest first.
    private var methods = CircularBuffer<HTTPMethod>(initialCapacity: 2)

    init(maxHeadSize: Int = UpstreamResponseDecoder.defaultMaxHeadSize) {
        self.maxHeadSize = maxHeadSize
        self.state = .head(ResponseHeadParser(maxHeadSize: maxHeadSize))
    }

    /// A request head was written as bytes past this handler (the byte-level path): its response
    /// comes next, framed by its method.
    func requestSent(_ method: HTTPMethod) {
        methods.append(method)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        relay = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(let head) = unwrapOutboundIn(data) { methods.append(head.method) }
        context.write(data, promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        unconsumed.append(unwrapInboundIn(data))
        decode(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .untilClose = state {
            // The close is the end of this response.
            state = .failed
            unconsumed.clear()
            context.fireChannelRead(wrapInboundOut(.end(nil)))
        }
        context.fireChannelInactive()
    }

    /// Hands on every part the bytes so far make (or relays them). The state is updated before
    /// anything goes on, so whatever happens meanwhile finds it consistent.
    private func decode(context: ChannelHandlerContext) {
        while var bytes = unconsumed.bytes, bytes.readableBytes > 0 {
            switch state {
            case .failed:
                unconsumed.clear()
                return
            case .untilClose:
                unconsumed.clear()
                context.fireChannelRead(wrapInboundOut(.body(bytes)))
                return
            case .head(var parser):
                // Taken out of `state` while it works: a copy left there would share the
                // parser's arrays, and the first field appended would copy them (every branch
                // below sets the next state).
                state = .failed
                switch parser.parse(bytes, requestMethod: methods.first ?? .GET) {
                case .needMore:
                    state = .head(parser)
                    return
                case .failure(let failure):
                    fail(UpstreamResponseError(reason: failure.reason), context: context)
                    return
                case .head(let head, let consumed):
                    bytes.moveReaderIndex(forwardBy: consumed)
                    unconsumed.keep(bytes)
                    if head.statusCode == 101 {
                        fail(UpstreamResponseError(reason: "101 Switching Protocols without an Upgrade"), context: context)
                        return
                    }
                    if head.isInformational {
                        state = nextHead()
                        continue
                    }
                    _ = methods.popFirst()
                    let relays = head.framing != .untilClose && (relay?.relayResponseHead(head) ?? false)
                    switch head.framing {
                    case .none, .length(0):
                        state = nextHead()
                        if relays {
                            relay?.relayResponseEnd()
                        } else {
                            context.fireChannelRead(wrapInboundOut(.head(head.makeHTTPResponseHead())))
                            context.fireChannelRead(wrapInboundOut(.end(nil)))
                        }
                    case .length(let length):
                        state = .body(MessageBodyReader(length: length, relaysAsReceived: relays))
                        if !relays { context.fireChannelRead(wrapInboundOut(.head(head.makeHTTPResponseHead()))) }
                    case .chunked:
                        state = .body(MessageBodyReader(chunkedWithMaxTrailerSize: maxHeadSize, relaysAsReceived: relays))
                        if !relays { context.fireChannelRead(wrapInboundOut(.head(head.makeHTTPResponseHead()))) }
                    case .untilClose:
                        state = .untilClose
                        context.fireChannelRead(wrapInboundOut(.head(head.makeHTTPResponseHead())))
                    }
                }
            case .body(var body):
                state = .failed  // taken out while it works, as the parser above
                let read: MessageBodyReader.Read
                do {
                    read = try body.read(&bytes)
                } catch {
                    fail(UpstreamResponseError(reason: "\(error)"), context: context)
                    return
                }
                unconsumed.keep(bytes)
                state = read.finished ? nextHead() : .body(body)
                if body.relaysAsReceived {
                    if let first = read.first { relay?.relayResponseBody(first) }
                    if read.finished { relay?.relayResponseEnd() }
                } else {
                    if let first = read.first { context.fireChannelRead(wrapInboundOut(.body(first))) }
                    for piece in read.rest { context.fireChannelRead(wrapInboundOut(.body(piece))) }
                    if read.finished { context.fireChannelRead(wrapInboundOut(.end(body.trailers))) }
                }
                if !read.finished, read.first == nil { return }  // an incomplete chunk line: wait for more
            }
        }
    }

    private func nextHead() -> State {
        .head(ResponseHeadParser(maxHeadSize: maxHeadSize))
    }

    private func fail(_ error: UpstreamResponseError, context: ChannelHandlerContext) {
        state = .failed
        unconsumed.clear()
        context.fireErrorCaught(error)
    }
}

/// An upstream response the gateway cannot read (the client gets a 502, or the exchange is cut).
struct UpstreamResponseError: Error, CustomStringConvertible {
    let reason: String

    var description: String { "invalid upstream response: \(reason)" }
}

/// Takes an upstream response as bytes: its head parsed in place, then its body exactly as received.
protocol UpstreamResponseRelay: AnyObject {
    /// A final head arrived; whether to relay it and its body as bytes (false: the parts follow).
    func relayResponseHead(_ head: RawResponseHead) -> Bool
    /// Body bytes as received (for a chunked body, with its framing).
    func relayResponseBody(_ bytes: ByteBuffer)
    /// The response is complete.
    func relayResponseEnd()
}
