import NIOCore
import NIOHTTP1

/// Writes the client's response parts as bytes, framed as NIO's `HTTPResponseEncoder` frames them,
/// but told the request methods by ``RequestDecoder`` (NIO's encoder learns them only from NIO's
/// own decoder).
///
/// The methods matter: a response to `HEAD` (or `CONNECT`) keeps the framing headers an equivalent
/// `GET` would get but carries no body, not even a chunked terminator; without them, a `HEAD`
/// answered by a chunked upstream would end in a stray `0\r\n\r\n` that the client reads as the
/// start of its next response. Framing otherwise follows the status and headers: no body for 1xx,
/// 204 and 304; `Content-Length` when there is one; else chunked for HTTP/1.1.
final class ResponseEncoder: ChannelOutboundHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = IOData

    /// Methods of requests not answered yet, oldest first.
    private var requestMethods = CircularBuffer<HTTPMethod>(initialCapacity: 2)
    private var isChunked = false
    /// Set while writing the response to a `HEAD` or `CONNECT` request: body and end write nothing.
    private var suppressesBody = false

    /// A request head was decoded: its response is the next final one written.
    func requestReceived(_ method: HTTPMethod) {
        requestMethods.append(method)
    }

    /// A whole final response was written as bytes past this encoder (the byte-level path): it
    /// answered the oldest request.
    func responseWrittenAsBytes() {
        _ = requestMethods.popFirst()
        isChunked = false
        suppressesBody = false
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            let code = head.status.code
            var respondsToConnect = false
            // A 1xx other than 101 is followed by the final head: it does not answer the request.
            if !((100..<200).contains(code) && code != 101) {
                // No method: an answer to bytes that never made a request (a 400): it has its body.
                let method = requestMethods.popFirst()
                suppressesBody = method == .HEAD || method == .CONNECT
                respondsToConnect = method == .CONNECT
            }
            let chunked = Self.frame(&head, hasBody: !respondsToConnect && head.status.mayHaveResponseBody)
            isChunked = chunked && !suppressesBody
            var buffer = context.channel.allocator.buffer(capacity: 256)
            Self.write(head, into: &buffer)
            context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
        case .body(let body):
            if suppressesBody {
                promise?.succeed(())
            } else if isChunked, body.readableBytes > 0 {
                var sizeLine = context.channel.allocator.buffer(capacity: 20)
                sizeLine.writeString(String(body.readableBytes, radix: 16))
                sizeLine.writeStaticString("\r\n")
                context.write(wrapOutboundOut(.byteBuffer(sizeLine)), promise: nil)
                context.write(wrapOutboundOut(body), promise: nil)
                context.write(wrapOutboundOut(.byteBuffer(ByteBuffer(staticString: "\r\n"))), promise: promise)
            } else {
                context.write(wrapOutboundOut(body), promise: promise)
            }
        case .end(let trailers):
            if isChunked, !suppressesBody {
                var last = context.channel.allocator.buffer(capacity: 8)
                last.writeStaticString("0\r\n")
                if let trailers {
                    Self.write(trailers, into: &last)
                } else {
                    last.writeStaticString("\r\n")
                }
                context.write(wrapOutboundOut(.byteBuffer(last)), promise: promise)
            } else if let promise {
                // Nothing to write, but the promise completes in order with the writes before it.
                context.write(wrapOutboundOut(.byteBuffer(ByteBuffer())), promise: promise)
            }
            isChunked = false
        }
    }

    /// Sets the framing headers as NIO's encoder does; whether the body is chunked.
    static func frame(_ head: inout HTTPResponseHead, hasBody: Bool) -> Bool {
        guard hasBody else {
            head.headers.remove(name: "content-length")
            head.headers.remove(name: "transfer-encoding")
            return false
        }
        if head.headers.contains(name: "content-length") {
            head.headers.remove(name: "transfer-encoding")
            return false
        }
        guard head.version.major == 1, head.version.minor >= 1 else { return false }
        head.headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
        return true
    }

    /// The status line and headers, ending with the empty line.
    static func write(_ head: HTTPResponseHead, into buffer: inout ByteBuffer) {
        writeStatusLine(version: head.version, status: head.status, into: &buffer)
        write(head.headers, into: &buffer)
    }

    /// `HTTP/1.1 200 OK` and its CRLF (the reason phrase NIO gives the status).
    static func writeStatusLine(version: HTTPVersion, status: HTTPResponseStatus, into buffer: inout ByteBuffer) {
        if version == .http1_1 {
            buffer.writeStaticString("HTTP/1.1 ")
        } else {
            buffer.writeString("HTTP/\(version.major).\(version.minor) ")
        }
        if status == .ok {
            buffer.writeStaticString("200 OK")
        } else {
            buffer.writeString(String(status.code))
            buffer.writeStaticString(" ")
            buffer.writeString(status.reasonPhrase)
        }
        buffer.writeStaticString("\r\n")
    }

    /// Header lines, then the empty line that ends them.
    static func write(_ headers: HTTPHeaders, into buffer: inout ByteBuffer) {
        for header in headers {
            buffer.writeString(header.name)
            buffer.writeStaticString(": ")
            buffer.writeString(header.value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
    }
}
