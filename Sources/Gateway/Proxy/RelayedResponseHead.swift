import NIOCore
import NIOHTTP1

/// The head the client gets for an upstream response relayed as bytes (the byte-level path, on
/// routes without plugins), written straight from the upstream's head as parsed in place.
///
/// The same head as the parts path gives (``ProxyExchange/downstreamHeaders(of:requestID:)``, then
/// ``ResponseEncoder``'s framing), header for header: the upstream's fields in order as sent,
/// without the hop-by-hop ones and those its `Connection` names; the gateway added to `Via`;
/// `X-Request-Id` set; `connection: close` when the client connection closes after it; and last,
/// `transfer-encoding: chunked` when the body has no length. No `String` is made for the upstream's fields.
enum RelayedResponseHead {
    /// Writes the head for `upstream`; `close` adds `connection: close`. Returns false when the body
    /// cannot follow it as received: its `Content-Length` was one of the fields the upstream's
    /// `Connection` named (dropped, as the parts path drops it, which then re-frames the body).
    @discardableResult
    static func write(_ upstream: RawResponseHead, requestID: String, close: Bool, into buffer: inout ByteBuffer) -> Bool {
        let status = HTTPResponseStatus(statusCode: upstream.statusCode)
        let mayHaveBody = status.mayHaveResponseBody
        buffer.writeStaticString("HTTP/1.1 ")
        if upstream.statusCode == 200 {
            buffer.writeStaticString("200 OK")
        } else {
            buffer.writeString(String(upstream.statusCode))
            buffer.writeStaticString(" ")
            buffer.writeString(status.reasonPhrase)
        }
        buffer.writeStaticString("\r\n")

        return upstream.bytes.withUnsafeReadableBytes { head in
            // What `Connection` lists is hop-by-hop too; nearly always just `keep-alive` or `close`.
            var connectionNamed: [Range<Int>] = []
            var hasLength = false
            for field in upstream.fields {
                if WireText.equalsLowercase(head, field.name, "connection") {
                    WireText.forEachListElement(head, field.value) { token in
                        if !WireText.equalsLowercase(head, token, "keep-alive"), !WireText.equalsLowercase(head, token, "close") {
                            connectionNamed.append(token)
                        }
                        return true
                    }
                } else if WireText.equalsLowercase(head, field.name, "content-length") {
                    hasLength = true
                }
            }
            var via: [Range<Int>] = []
            var wroteLength = false
            let viaIsConnectionNamed = connectionNamed.contains { WireText.equalsLowercase(head, $0, "via") }
            for field in upstream.fields {
                if isHopByHop(head, field.name) { continue }
                if !connectionNamed.isEmpty, connectionNamed.contains(where: { sameName(head, $0, field.name) }) { continue }
                if WireText.equalsLowercase(head, field.name, "via") {
                    via.append(field.value)
                    continue
                }
                if WireText.equalsLowercase(head, field.name, "x-request-id") { continue }
                if WireText.equalsLowercase(head, field.name, "content-length") {
                    if !mayHaveBody { continue }
                    wroteLength = true
                }
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: head[field.name]))
                buffer.writeStaticString(": ")
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: head[field.value]))
                buffer.writeStaticString("\r\n")
            }
            buffer.writeStaticString("Via: ")
            if !viaIsConnectionNamed {
                for value in via {
                    buffer.writeBytes(UnsafeRawBufferPointer(rebasing: head[value]))
                    buffer.writeStaticString(", ")
                }
            }
            buffer.writeString(UpstreamRequestBuilder.viaToken)
            buffer.writeStaticString("\r\nX-Request-Id: ")
            buffer.writeString(requestID)
            buffer.writeStaticString("\r\n")
            if close { buffer.writeStaticString("connection: close\r\n") }
            // Last, as the encoder frames it: a body without a length is chunked (a relayed one was
            // chunked by the upstream; the response to a HEAD keeps the framing a GET would get).
            if mayHaveBody, !hasLength { buffer.writeStaticString("transfer-encoding: chunked\r\n") }
            buffer.writeStaticString("\r\n")
            if case .length = upstream.framing, !wroteLength { return false }
            return true
        }
    }

    /// Whether the name at `range` is one of ``HopByHop/names``.
    private static func isHopByHop(_ head: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        switch range.count {
        case 2: return WireText.equalsLowercase(head, range, "te")
        case 7: return WireText.equalsLowercase(head, range, "trailer") || WireText.equalsLowercase(head, range, "upgrade")
        case 10:
            return WireText.equalsLowercase(head, range, "connection") || WireText.equalsLowercase(head, range, "keep-alive")
        case 16: return WireText.equalsLowercase(head, range, "proxy-connection")
        case 17: return WireText.equalsLowercase(head, range, "transfer-encoding")
        case 18: return WireText.equalsLowercase(head, range, "proxy-authenticate")
        case 19: return WireText.equalsLowercase(head, range, "proxy-authorization")
        default: return false
        }
    }

    /// Whether the bytes at `a` and `b` are the same name, ignoring ASCII case.
    private static func sameName(_ head: UnsafeRawBufferPointer, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { ASCII.lower(head[$0]) == ASCII.lower(head[$1]) }
    }
}
