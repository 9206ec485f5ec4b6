import NIOCore
import NIOHTTP1

/// A request head parsed in place: what the proxy needs to route and frame the request, with every
/// header left as byte ranges until a plugin asks for it.
struct RawRequestHead: RawHeadFields, Equatable, Sendable {
    /// Exactly the head: request line through the final CRLF CRLF; ranges are 0-based in it.
    let bytes: ByteBuffer
    let method: HTTPMethod
    /// The request target as sent (origin-form or absolute-form).
    let target: Range<Int>
    let version: HTTPVersion
    let fields: [RawField]
    /// How the body is delimited.
    let framing: RequestFraming
    /// Whether the connection may carry another request: HTTP/1.1 unless `Connection` lists
    /// `close`; HTTP/1.0 only when it lists `keep-alive` (and not `close`) and has no
    /// `Transfer-Encoding` (RFC 9112 §6.1).
    let keepAlive: Bool
    /// `Expect: 100-continue` (any case) on an HTTP/1.1 request (HTTP/1.0 clients never wait for it).
    let expectsContinue: Bool
    /// The `Host` field's value; nil only for an HTTP/1.0 request without one.
    let host: Range<Int>?

    /// The request target as a String.
    var targetString: String {
        string(target)
    }

    /// The same head as NIO's `HTTPRequestDecoder` would give (fields in order, names as sent,
    /// values without surrounding whitespace), for the code paths built on NIO's types.
    func makeHTTPRequestHead() -> HTTPRequestHead {
        HTTPRequestHead(version: version, method: method, uri: targetString, headers: HTTPHeaders(headerPairs()))
    }
}

/// A client's request as the gateway's decoder hands it on: the head parsed in place, then body
/// bytes, then the end (with any chunked trailers).
typealias ClientRequestPart = HTTPPart<RawRequestHead, ByteBuffer>
