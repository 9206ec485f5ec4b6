import NIOCore
import NIOHTTP1

/// The request head sent upstream, written as bytes straight from the client's head parsed in place
/// (the byte-level path, on routes without plugins).
///
/// The same head, byte for byte, as ``UpstreamRequestBuilder/build(context:route:endpoint:client:)``
/// followed by NIO's request encoder gives: the client's fields in order as sent, without the
/// hop-by-hop ones, those its `Connection` names and those the gateway sets; then `host`,
/// `x-forwarded-*`, `x-real-ip`, `via` and `x-request-id`. No `String` is made for the client's fields.
enum RawUpstreamRequest {
    /// Whether a request can go this way: its body, if any, is sent as received, so it must be
    /// framed by `Content-Length`, or be absent on a method NIO's request encoder would not frame as
    /// chunked (POST, PUT, PATCH); TRACE, whose framing that encoder strips, goes the parts path.
    static func canWrite(_ raw: RawRequestHead, method: HTTPMethod, bodyReplaced: Bool) -> Bool {
        guard !bodyReplaced, method != .TRACE else { return false }
        switch raw.framing {
        case .length: return true
        case .none: return method != .POST && method != .PUT && method != .PATCH
        case .chunked: return false
        }
    }

    /// Writes the upstream request head for `raw` (see ``UpstreamRequestBuilder`` for the rules).
    static func write(
        _ raw: RawRequestHead,
        context: RequestContext,
        route: ProxyRoute,
        endpoint: HTTPEndpoint,
        client: UpstreamRequestBuilder.ClientInfo,
        into buffer: inout ByteBuffer
    ) {
        let trusted = client.peerIsTrusted
        let prefix = context.strippedPrefix
        buffer.writeString(context.upstreamMethod.rawValue)
        buffer.writeStaticString(" ")
        buffer.writeString(context.upstreamPath)
        if let query = context.query {
            buffer.writeStaticString("?")
            buffer.writeString(query)
        }
        buffer.writeStaticString(" HTTP/1.1\r\n")

        raw.bytes.withUnsafeReadableBytes { head in
            // First pass: what `Connection` names, and the client's values the gateway's headers use.
            let connectionNamed = HopByHop.connectionNamed(head, raw.fields)
            var forwardedFor: [Range<Int>] = []
            var forwarded: [ForwardedHeader: Range<Int>] = [:]
            for field in raw.fields {
                let name = field.name
                if WireText.equalsLowercase(head, name, "x-forwarded-for") {
                    forwardedFor.append(field.value)
                } else if trusted, let header = ForwardedHeader(head, name), forwarded[header] == nil {
                    forwarded[header] = field.value
                }
            }
            // Second pass: the client's end-to-end fields, as sent.
            var via: [Range<Int>] = []
            var copier = FieldLineCopier()
            for field in raw.fields {
                let name = field.name
                if HopByHop.isHopByHop(head, name) { continue }
                if !connectionNamed.isEmpty, connectionNamed.contains(where: { HopByHop.sameName(head, $0, name) }) {
                    continue
                }
                switch GatewaySetHeader(length: name.count, named: { WireText.equalsLowercase(head, name, $0) }) {
                case .replaced:
                    continue
                case .via:
                    via.append(field.value)
                    continue
                case .forwardedPrefix:
                    // As the builder: replaced when a prefix was stripped; an untrusted client's goes.
                    if prefix != nil || !trusted { continue }
                case nil:
                    break
                }
                copier.copy(field, from: head, into: &buffer)
            }
            copier.flush(from: head, into: &buffer)
            if connectionNamed.contains(where: { WireText.equalsLowercase(head, $0, "via") }) { via = [] }

            func write(_ range: Range<Int>) { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: head[range])) }
            /// The client's values of a list header, then the gateway's, comma-separated.
            func writeList(_ values: [Range<Int>], then last: String) {
                for value in values {
                    write(value)
                    buffer.writeStaticString(", ")
                }
                buffer.writeString(last)
            }
            let originalHost: String = raw.host.map { raw.string($0) } ?? endpoint.hostHeader
            buffer.writeStaticString("host: ")
            if let host = context.upstreamHost {
                buffer.writeString(host)
            } else {
                buffer.writeString(route.preserveHost ? originalHost : endpoint.hostHeader)
            }
            buffer.writeStaticString("\r\nx-forwarded-for: ")
            writeList(forwardedFor, then: client.peerIP)
            buffer.writeStaticString("\r\nx-real-ip: ")
            buffer.writeString(client.clientIP)
            func forwardedLine(_ header: ForwardedHeader, _ name: StaticString, _ value: @autoclosure () -> String) {
                buffer.writeStaticString("\r\n")
                buffer.writeStaticString(name)
                buffer.writeStaticString(": ")
                if let sent = forwarded[header] { write(sent) } else { buffer.writeString(value()) }
            }
            forwardedLine(.proto, "x-forwarded-proto", client.scheme)
            forwardedLine(.host, "x-forwarded-host", UpstreamRequestBuilder.hostWithoutPort(originalHost))
            forwardedLine(.port, "x-forwarded-port", String(client.listenPort))
            forwardedLine(.path, "x-forwarded-path", context.path)
            if let prefix { forwardedLine(.prefix, "x-forwarded-prefix", prefix) }
            buffer.writeStaticString("\r\nvia: ")
            writeList(via, then: UpstreamRequestBuilder.viaToken)
            buffer.writeStaticString("\r\nx-request-id: ")
            buffer.writeString(context.requestID)
            buffer.writeStaticString("\r\n\r\n")
        }
    }

    /// The `X-Forwarded-*` headers a trusted client's own value is kept for.
    private enum ForwardedHeader: Hashable {
        case proto, host, port, path, prefix

        init?(_ head: UnsafeRawBufferPointer, _ name: Range<Int>) {
            switch name.count {
            case 16 where WireText.equalsLowercase(head, name, "x-forwarded-host"): self = .host
            case 16 where WireText.equalsLowercase(head, name, "x-forwarded-port"): self = .port
            case 16 where WireText.equalsLowercase(head, name, "x-forwarded-path"): self = .path
            case 17 where WireText.equalsLowercase(head, name, "x-forwarded-proto"): self = .proto
            case 18 where WireText.equalsLowercase(head, name, "x-forwarded-prefix"): self = .prefix
            default: return nil
            }
        }
    }
}
