import NIOCore
import NIOHTTP1

/// An upstream response head parsed in place: what the proxy needs to frame and relay the
/// response, with every header left as byte ranges until a plugin asks for it.
struct RawResponseHead: RawHeadFields, Sendable {
    /// Exactly the head: status line through the final CRLF CRLF; ranges are 0-based in it.
    let bytes: ByteBuffer
    let version: HTTPVersion
    /// The status code as sent (100-999).
    let statusCode: Int
    /// The reason phrase's bytes as sent (possibly empty).
    let reason: Range<Int>
    let fields: [RawField]
    /// How the body is delimited, given the request's method.
    let framing: ResponseFraming
    /// Whether the upstream connection may carry another exchange: HTTP/1.1 unless `Connection`
    /// lists `close`; HTTP/1.0 only when it lists `keep-alive`; never when the body runs until close.
    let keepAlive: Bool

    /// The status with the reason phrase as sent (NIO keeps it only for codes it has no case for).
    var status: HTTPResponseStatus {
        HTTPResponseStatus(statusCode: statusCode, reasonPhrase: reasonString)
    }

    /// The reason phrase as a String.
    var reasonString: String {
        string(reason)
    }

    /// Whether this is an informational (1xx) head other than 101: the real response follows it.
    var isInformational: Bool {
        statusCode < 200 && statusCode != 101
    }

    /// The same head as NIO's `HTTPResponseDecoder` would give: fields in order, and the status
    /// from the code alone (NIO drops the reason phrase), for the code paths built on NIO's types.
    func makeHTTPResponseHead() -> HTTPResponseHead {
        HTTPResponseHead(
            version: version,
            status: HTTPResponseStatus(statusCode: statusCode),
            headers: HTTPHeaders(headerPairs())
        )
    }
}
