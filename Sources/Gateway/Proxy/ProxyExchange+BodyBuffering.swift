import NIOCore
import NIOHTTP1

/// Whole-body opt-ins (``Plugin/requestBodyBufferLimit(_:)``, ``Plugin/responseBodyBuffering(_:head:)``)
/// and the streaming body limit (``RequestContext/requestBodyLimit``). Exchanges whose plugins ask for
/// none of these never enter this file: bodies stream as before.
extension ProxyExchange {
    /// A response whose body is being collected for the plugins that opted in.
    struct HeldResponse {
        /// The head as it will be prepared and sent once the body is complete.
        var head: HTTPResponseHead
        /// The body so far.
        var body: ByteBuffer
        /// The plugins that opted in, in chain order, and the combined terms.
        var holders: ResponseBodyHolders
    }

    /// The plugins holding one response body and the tightest terms among theirs.
    struct ResponseBodyHolders {
        var plugins: [any Plugin]
        var maxBytes: Int
        var overflow: ResponseBodyBuffering.Overflow
    }

    // MARK: Request side

    /// Called before the access phase of a plugin that asked for the whole body: true when the chain
    /// must stop here (it resumes at `position` once the body is complete, or a 413 was sent). A body
    /// already read for an earlier plugin is held to this plugin's limit too.
    func awaitRequestBody(limit: Int, resumingAt position: Int) -> Bool {
        guard let context else { return true }
        if context.requestBodyBytes > limit {
            closeAfterResponse = true
            respondLocally(.message(.payloadTooLarge, "Request size limit exceeded"))
            return true
        }
        if context.requestBody != nil { return false }
        if requestComplete {
            bufferRequestBody()
            return false
        }
        phase = .access(index: position)
        awaitedBodyLimit = limit
        sendContinueIfExpected()
        handler.resumeReadsIfNeeded()
        return true
    }

    /// The body is complete: gathers it into one buffer for ``RequestContext/requestBody`` (still
    /// sent upstream from ``pendingBody`` unless a plugin replaces it).
    func bufferRequestBody() {
        guard let context else { return }
        if pendingBody.count == 1, let only = pendingBody.first {
            context.requestBody = only
            return
        }
        var whole = ByteBuffer()
        whole.reserveCapacity(pendingBody.reduce(0) { $0 + $1.readableBytes })
        for var part in pendingBody { whole.writeBuffer(&part) }
        pendingBody.removeAll()
        if whole.readableBytes > 0 { pendingBody.append(whole) }
        context.requestBody = whole
    }

    /// More body than ``RequestContext/requestBodyLimit`` allows arrived: answer it if nothing was
    /// answered yet (the upstream, if it was receiving the body, is cut off), else abort both sides.
    func requestBodyLimitExceeded(_ limit: RequestBodyLimit) {
        context?.requestBodyLimit = nil
        closeAfterResponse = true
        releaseTarget()
        if responseStarted {
            fail()
        } else {
            respondLocally(limit.response, source: .exit)
        }
    }

    // MARK: Response side

    /// The plugins that want the whole body of a response with this head, or nil (the fast path).
    func responseBodyHolders(for responseHead: HTTPResponseHead) -> ResponseBodyHolders? {
        guard let context, raw.method != .HEAD, responseHead.status.mayHaveResponseBody else { return nil }
        var holders: ResponseBodyHolders?
        for entry in (context.route?.chain ?? config.globalChain).entries {
            guard let plugin = entry.instance(for: context.consumer),
                let terms = plugin.responseBodyBuffering(context, head: responseHead)
            else { continue }
            if var current = holders {
                current.plugins.append(plugin)
                current.maxBytes = min(current.maxBytes, terms.maxBytes)
                if terms.overflow == .reject { current.overflow = .reject }
                holders = current
            } else {
                holders = ResponseBodyHolders(plugins: [plugin], maxBytes: terms.maxBytes, overflow: terms.overflow)
            }
        }
        return holders
    }

    /// Collects one part of a held upstream body; past the limit, streams or rejects as asked.
    func holdResponseBody(_ part: ByteBuffer) {
        guard var held = heldResponse else { return }
        heldResponse = nil
        held.body.writeImmutableBuffer(part)
        guard held.body.readableBytes > held.holders.maxBytes else {
            heldResponse = held
            return
        }
        switch held.holders.overflow {
        case .stream:
            guard let context else { return }
            writeResponseHead(&held.head)
            context.responseBodyBytes += held.body.readableBytes
            for observer in context.responseObservers { observer.responseBody(held.body, context: context) }
            handler.write(.body(.byteBuffer(held.body)))
        case .reject:
            releaseTarget()
            closeAfterResponse = closeAfterResponse || !requestComplete
            respondLocally(.message(.badGateway, "An invalid response was received from the upstream server"))
        }
    }

    /// Sends a complete response through the response phase and the body hooks of `plugins`, with a
    /// `Content-Length` for the final body. The caller writes the end.
    func sendCompleteResponse(head responseHead: HTTPResponseHead, body: ByteBuffer, plugins: [any Plugin]) {
        guard let context else { return }
        var finalHead = responseHead
        var finalBody = body
        prepareResponseHead(&finalHead, context: context)
        if body.readableBytes > 0 {
            for observer in context.responseObservers { observer.responseBody(body, context: context) }
        }
        for plugin in plugins { plugin.responseBody(context, head: &finalHead, body: &finalBody) }
        finalHead.headers.remove(name: "transfer-encoding")
        finalHead.headers.replaceOrAdd(name: "content-length", value: String(finalBody.readableBytes))
        sendResponseHead(finalHead, context: context)
        if finalBody.readableBytes > 0 {
            context.responseBodyBytes += finalBody.readableBytes
            handler.write(.body(.byteBuffer(finalBody)))
        }
    }
}
