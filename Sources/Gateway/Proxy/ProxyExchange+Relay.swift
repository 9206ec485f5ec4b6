import NIOCore
import NIOHTTP1

/// The byte-level response path: on a route without plugins, the upstream's response goes to the
/// client as bytes. Its head is rewritten from the head parsed in place (``RelayedResponseHead``)
/// and its body relayed exactly as received, chunk framing included; no `HTTPHeaders`, no parts.
extension ProxyExchange: UpstreamResponseRelay {
    /// Whether the response can go as bytes: an HTTP/1.1 client (an HTTP/1.0 one may need the body
    /// reframed), no plugin on the route (nothing would look at or change the response), nothing
    /// observing it, and the gateway's encoder in the pipeline.
    var relaysResponseAsBytes: Bool {
        guard let context, let route = context.route, handler.canWriteRaw, raw.version == .http1_1 else { return false }
        return route.chain.entries.isEmpty && context.responseObservers.isEmpty && context.extraResponseHeaders.isEmpty
            && heldResponse == nil
    }

    /// Bodies up to this size follow the head in the same write (copied behind it).
    static let bodyJoinedToHeadLimit = 4096

    func relayResponseHead(_ upstream: RawResponseHead) -> Bool {
        guard let context, case .proxying = phase, !responseStarted else { return false }
        let close = !keepAlive || closeAfterResponse || handler.isClosing
        var joinedBody = 0
        if case .length(let length) = upstream.framing, length <= Self.bodyJoinedToHeadLimit { joinedBody = length }
        var bytes = ByteBufferAllocator().buffer(capacity: upstream.bytes.readableBytes + 96 + joinedBody)
        guard RelayedResponseHead.write(upstream, requestID: context.requestID, close: close, into: &bytes) else {
            return false  // the parts path re-frames this one
        }
        if close { closeAfterResponse = true }
        let now = NIODeadline.now()
        lastUpstreamActivity = now
        context.upstreamRespondedAt = now
        upstreamResponseKeepAlive = upstream.keepAlive
        context.responseStatus = HTTPResponseStatus(statusCode: upstream.statusCode)
        if context.responseSource == nil { context.responseSource = .service }
        responseStarted = true
        // Held until the body's first bytes (a small body goes out in the same write) or the end
        // of this read, whichever comes first.
        unsentRelayedHead = bytes
        return true
    }

    func relayResponseBody(_ bytes: ByteBuffer) {
        guard let context, case .proxying(let connection) = phase else { return }
        lastUpstreamActivity = .now()
        context.responseBodyBytes += bytes.readableBytes
        if var head = unsentRelayedHead, bytes.readableBytes <= Self.bodyJoinedToHeadLimit {
            unsentRelayedHead = nil
            head.writeImmutableBuffer(bytes)
            handler.writeRawHead(head)
        } else {
            sendRelayedHead()
            handler.writeRawBody(bytes)
        }
        if !handler.isWritable { connection.handler.readsPaused = true }
    }

    func relayResponseEnd() {
        guard case .proxying(let connection) = phase else { return }
        sendRelayedHead()
        upstreamResponseComplete(connection)
        handler.flush()
        if requestComplete { finish() } else { handler.resumeReadsIfNeeded() }
    }

    /// Writes the relayed head if it is still held (before any flush).
    func sendRelayedHead() {
        guard let head = unsentRelayedHead else { return }
        unsentRelayedHead = nil
        handler.writeRawHead(head)
    }
}
