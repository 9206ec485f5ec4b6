import NIOCore
import NIOHTTP1

/// Turns a client connection's bytes into request parts with the gateway's own HTTP/1 parser
/// (``RequestHeadParser``, ``ChunkedDecoder``), in place of NIO's `HTTPRequestDecoder`.
///
/// Why not NIO's decoder: measured with `FLOOR=1 bench/run.sh`, NIO's two HTTP codecs cost a proxy
/// about 16 µs of CPU per request where a byte relay costs 4. This handler is the first step of the
/// byte-level path (bench/README.md): heads are parsed in place, and body bytes are handed on as
/// slices of what was read, never copied. The head is handed on as parsed (``RawRequestHead``).
///
/// Errors (malformed or ambiguous heads and bodies, limits) go up the pipeline as
/// ``RequestDecodingError`` and decoding stops; the connection's last handler answers and closes.
final class RequestDecoder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ClientRequestPart

    private enum State {
        case head(RequestHeadParser)
        case body(remaining: Int)
        case chunked(ChunkedDecoder)
        case failed
    }

    private let maxRequestLine: Int
    private let responseEncoder: ResponseEncoder?
    private let maxHeadSize: Int
    private var state: State
    /// Bytes read and not consumed yet; nil when everything read has been handed on (so that the
    /// next read is used as it is, without a copy).
    private var buffered: ByteBuffer?

    /// `maxRequestLine`: longest request line (414 beyond); `maxHeadSize`: longest head (431 beyond);
    /// `responseEncoder`: told each request's method, which frames its response.
    init(maxRequestLine: Int, maxHeadSize: Int, responseEncoder: ResponseEncoder? = nil) {
        self.responseEncoder = responseEncoder
        self.maxRequestLine = maxRequestLine
        self.maxHeadSize = maxHeadSize
        self.state = .head(RequestHeadParser(maxRequestLine: maxRequestLine, maxHeadSize: maxHeadSize))
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

    private func decode(context: ChannelHandlerContext) {
        while var bytes = buffered, bytes.readableBytes > 0 {
            switch state {
            case .failed:
                buffered = nil
                return
            case .head(var parser):
                switch parser.parse(bytes) {
                case .needMore:
                    state = .head(parser)
                    return
                case .failure(let failure):
                    fail(RequestDecodingError(status: failure.status, reason: failure.reason), context: context)
                    return
                case .head(let head, let consumed):
                    bytes.moveReaderIndex(forwardBy: consumed)
                    keep(bytes)
                    responseEncoder?.requestReceived(head.method)
                    switch head.framing {
                    case .none, .length(0):
                        state = nextHead()
                        context.fireChannelRead(wrapInboundOut(.head(head)))
                        context.fireChannelRead(wrapInboundOut(.end(nil)))
                    case .length(let length):
                        state = .body(remaining: length)
                        context.fireChannelRead(wrapInboundOut(.head(head)))
                    case .chunked:
                        state = .chunked(ChunkedDecoder(maxTrailerSize: maxHeadSize))
                        context.fireChannelRead(wrapInboundOut(.head(head)))
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
            case .chunked(var decoder):
                var chunks: [ByteBuffer] = []
                let result: (consumed: Int, finished: Bool)
                do {
                    result = try decoder.decode(bytes) { chunks.append($0) }
                } catch {
                    fail(RequestDecodingError(status: .badRequest, reason: "\(error)"), context: context)
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
        .head(RequestHeadParser(maxRequestLine: maxRequestLine, maxHeadSize: maxHeadSize))
    }

    private func fail(_ error: RequestDecodingError, context: ChannelHandlerContext) {
        state = .failed
        buffered = nil
        context.fireErrorCaught(error)
    }
}

/// A request the gateway cannot read: the status to answer with (400, 414 or 431) and why.
struct RequestDecodingError: Error, CustomStringConvertible {
    let status: HTTPResponseStatus
    let reason: String

    var description: String { "\(status.code) \(reason)" }
}
