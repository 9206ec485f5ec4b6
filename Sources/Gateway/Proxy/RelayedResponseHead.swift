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
        ResponseEncoder.writeStatusLine(version: .http1_1, status: status, into: &buffer)

        return upstream.bytes.withUnsafeReadableBytes { head in
            let connectionNamed = HopByHop.connectionNamed(head, upstream.fields)
            let hasLength = upstream.fields.contains { WireText.equalsLowercase(head, $0.name, "content-length") }
            var via: [Range<Int>] = []
            var wroteLength = false
            let viaIsConnectionNamed = connectionNamed.contains { WireText.equalsLowercase(head, $0, "via") }
            var copier = FieldLineCopier()
            for field in upstream.fields {
                if HopByHop.isHopByHop(head, field.name) { continue }
                if !connectionNamed.isEmpty, connectionNamed.contains(where: { HopByHop.sameName(head, $0, field.name) }) {
                    continue
                }
                if WireText.equalsLowercase(head, field.name, "via") {
                    via.append(field.value)
                    continue
                }
                if WireText.equalsLowercase(head, field.name, "x-request-id") { continue }
                if WireText.equalsLowercase(head, field.name, "content-length") {
                    if !mayHaveBody { continue }
                    wroteLength = true
                }
                copier.copy(field, from: head, into: &buffer)
            }
            copier.flush(from: head, into: &buffer)
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
}
