import NIOCore
import NIOHTTP1

/// Turns an upstream connection's bytes into response parts with the gateway's own HTTP/1 parser
/// (``ResponseHeadParser``, ``ChunkedDecoder``), in place of NIO's `HTTPResponseDecoder`; the
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
        case body(remaining: Int)
        case chunked(ChunkedDecoder)
        case untilClose
        /// Relaying a body of known length as bytes.
        case relayLength(remaining: Int)
        /// Relaying a chunked body as bytes, chunk framing included (the decoder finds its end).
        case relayChunked(ChunkedDecoder)
        case failed
    }

    /// Takes the next final response as bytes when it says so (the byte-level path); nil: parts.
    weak var relay: (any UpstreamResponseRelay)?

    /// NIO's default limit for a response head.
    static let defaultMaxHeadSize = 80 * 1024

    private let maxHeadSize: Int
    private var state: State
    /// Bytes read and not consumed yet; nil when everything read has been handed on.
    private var buffered: ByteBuffer?
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

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(let head) = unwrapOutboundIn(data) { methods.append(head.method) }
        context.write(data, promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if var existing = buffered, existing.readableBytes > 0 {
            buffered = nil  // one reference while appending: no copy-on-write of the whole buffer
            existing.writeBuffer(&incoming)
            buffered = existing
        } else {
            buffered = incoming
        }
        decode(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .untilClose = state {
            // The close is the end of this response.
            state = .failed
            buffered = nil
            context.fireChannelRead(wrapInboundOut(.end(nil)))
        }
        context.fireChannelInactive()
    }

    private func decode(context: ChannelHandlerContext) {
        while var bytes = buffered, bytes.readableBytes > 0 {
            switch state {
            case .failed:
                buffered = nil
                return
            case .untilClose:
                buffered = nil
                context.fireChannelRead(wrapInboundOut(.body(bytes)))
                return
            case .head(var parser):
                switch parser.parse(bytes, requestMethod: methods.first ?? .GET) {
                case .needMore:
                    state = .head(parser)
                    return
                case .failure(let failure):
                    fail(UpstreamResponseError(reason: failure.reason), context: context)
                    return
                case .head(let head, let consumed):
                    bytes.moveReaderIndex(forwardBy: consumed)
                    keep(bytes)
                    if head.statusCode == 101 {
                        fail(UpstreamResponseError(reason: "101 Switching Protocols without an Upgrade"), context: context)
                        return
                    }
                    if head.isInformational {
                        state = nextHead()
                        continue
                    }
                    _ = methods.popFirst()
                    if let relay, head.framing != .untilClose, relay.relayResponseHead(head) {
                        switch head.framing {
                        case .length(let length) where length > 0:
                            state = .relayLength(remaining: length)
                        case .chunked:
                            state = .relayChunked(ChunkedDecoder(maxTrailerSize: maxHeadSize))
                        default:
                            state = nextHead()
                            relay.relayResponseEnd()
                        }
                        continue
                    }
                    let responseHead = head.makeHTTPResponseHead()
                    switch head.framing {
                    case .none, .length(0):
                        state = nextHead()
                        context.fireChannelRead(wrapInboundOut(.head(responseHead)))
                        context.fireChannelRead(wrapInboundOut(.end(nil)))
                    case .length(let length):
                        state = .body(remaining: length)
                        context.fireChannelRead(wrapInboundOut(.head(responseHead)))
                    case .chunked:
                        state = .chunked(ChunkedDecoder(maxTrailerSize: maxHeadSize))
                        context.fireChannelRead(wrapInboundOut(.head(responseHead)))
                    case .untilClose:
                        state = .untilClose
                        context.fireChannelRead(wrapInboundOut(.head(responseHead)))
                    }
                }
            case .body(let remaining):
                let count = min(remaining, bytes.readableBytes)
                guard let slice = bytes.readSlice(length: count) else { return }
                keep(bytes)
                if count == remaining {
                    state = nextHead()
                    context.fireChannelRead(wrapInboundOut(.body(slice)))
                    context.fireChannelRead(wrapInboundOut(.end(nil)))
                } else {
                    state = .body(remaining: remaining - count)
                    context.fireChannelRead(wrapInboundOut(.body(slice)))
                }
            case .relayLength(let remaining):
                let count = min(remaining, bytes.readableBytes)
                guard let slice = bytes.readSlice(length: count) else { return }
                keep(bytes)
                state = count == remaining ? nextHead() : .relayLength(remaining: remaining - count)
                relay?.relayResponseBody(slice)
                if count == remaining { relay?.relayResponseEnd() }
            case .relayChunked(var decoder):
                let result: (consumed: Int, finished: Bool)
                do {
                    result = try decoder.decode(bytes) { _ in }
                } catch {
                    fail(UpstreamResponseError(reason: "\(error)"), context: context)
                    return
                }
                guard let relayed = bytes.readSlice(length: result.consumed) else { return }
                keep(bytes)
                state = result.finished ? nextHead() : .relayChunked(decoder)
                if relayed.readableBytes > 0 { relay?.relayResponseBody(relayed) }
                if result.finished {
                    relay?.relayResponseEnd()
                } else if result.consumed == 0 {
                    return
                }
            case .chunked(var decoder):
                var chunks: [ByteBuffer] = []
                let result: (consumed: Int, finished: Bool)
                do {
                    result = try decoder.decode(bytes) { chunks.append($0) }
                } catch {
                    fail(UpstreamResponseError(reason: "\(error)"), context: context)
                    return
                }
                bytes.moveReaderIndex(forwardBy: result.consumed)
                keep(bytes)
                state = result.finished ? nextHead() : .chunked(decoder)
                for chunk in chunks { context.fireChannelRead(wrapInboundOut(.body(chunk))) }
                if result.finished {
                    context.fireChannelRead(wrapInboundOut(.end(decoder.trailers)))
                } else if result.consumed == 0 {
                    return
                }
            }
        }
    }

    /// Keeps what is left of `bytes` for the next round (nothing when all of it was used).
    private func keep(_ bytes: ByteBuffer) {
        buffered = bytes.readableBytes > 0 ? bytes : nil
    }

    private func nextHead() -> State {
        .head(ResponseHeadParser(maxHeadSize: maxHeadSize))
    }

    private func fail(_ error: UpstreamResponseError, context: ChannelHandlerContext) {
        state = .failed
        buffered = nil
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
