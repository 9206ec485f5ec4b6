import NIOCore
import NIOHTTP1

extension ProxyExchange {
    /// Writes a response head after the response phase of the plugins and the gateway's own headers.
    func writeResponseHead(_ responseHead: inout HTTPResponseHead) {
        guard let context else { return }
        prepareResponseHead(&responseHead, context: context)
        sendResponseHead(responseHead, context: context)
    }

    /// Runs the response phase of the plugins and adds the gateway's own headers, without writing.
    /// Response observers see the head first, as its producer made it.
    func prepareResponseHead(_ responseHead: inout HTTPResponseHead, context: RequestContext) {
        for observer in context.responseObservers { observer.responseHead(responseHead, context: context) }
        for (name, value) in context.extraResponseHeaders { responseHead.headers.replaceOrAdd(name: name, value: value) }
        if let route = context.route {
            for entry in route.chain.entries {
                entry.instance(for: context.consumer)?.response(context, head: &responseHead)
            }
        } else {
            for entry in config.globalChain.entries {
                entry.instance(for: context.consumer)?.response(context, head: &responseHead)
            }
        }
        if !keepAlive || closeAfterResponse || handler.isClosing {
            closeAfterResponse = true
            responseHead.headers.replaceOrAdd(name: "connection", value: "close")
        } else if raw.version.minor == 0 {
            responseHead.headers.replaceOrAdd(name: "connection", value: "keep-alive")
        }
    }

    /// Writes a prepared response head downstream.
    func sendResponseHead(_ responseHead: HTTPResponseHead, context: RequestContext) {
        context.responseStatus = responseHead.status
        context.responseHeaders = responseHead.headers
        if context.responseSource == nil { context.responseSource = .service }
        responseStarted = true
        handler.write(.head(responseHead))
    }

    /// Answers the client from the gateway itself; the upstream (if any) is no longer involved.
    /// `source` says who decided the answer: the gateway (an error of its own), a plugin, or the
    /// service behind a dispatcher.
    func respondLocally(_ response: LocalResponse, source: ResponseSource = .error) {
        guard let context, !responseStarted else {
            return
        }
        context.responseSource = source
        if case .proxying(let connection) = phase { connection.close() }
        phase = .responded
        heldResponse = nil
        awaitedBodyLimit = nil
        if response.headers.first(name: "connection")?.lowercased() == "close" {
            // The plugin asked to close, e.g. after refusing a body it will not read.
            closeAfterResponse = true
        }
        if !requestComplete {
            // The rest of the body is read and dropped; a body we refused (413) closes the connection.
            pendingBody.removeAll()
        }
        let rendered = LocalResponseRenderer.render(response, requestID: context.requestID, keepAlive: keepAlive)
        var responseHead = rendered.head
        if let holders = responseBodyHolders(for: responseHead) {
            // A local body is complete and small: the plugins that asked see it whatever their limit.
            sendCompleteResponse(head: responseHead, body: rendered.body ?? ByteBuffer(), plugins: holders.plugins)
        } else {
            writeResponseHead(&responseHead)
            if let body = rendered.body, raw.method != .HEAD {
                context.responseBodyBytes += body.readableBytes
                for observer in context.responseObservers { observer.responseBody(body, context: context) }
                handler.write(.body(.byteBuffer(body)))
            }
        }
        for observer in context.responseObservers { observer.responseEnd(context: context) }
        handler.write(.end(nil))
        handler.flush()
        responseComplete = true
        if requestComplete || closeAfterResponse {
            finish()
        } else {
            handler.resumeReadsIfNeeded()
        }
    }

    /// Answers a request whose head was unusable (no context could be built).
    func respondBeforeContext(_ response: LocalResponse, requestID: String) {
        closeAfterResponse = true
        phase = .responded
        responseStarted = true
        responseComplete = true
        let rendered = LocalResponseRenderer.render(response, requestID: requestID, keepAlive: false)
        handler.write(.head(rendered.head))
        if let body = rendered.body { handler.write(.body(.byteBuffer(body))) }
        handler.write(.end(nil))
        handler.flush()
        phase = .done
        handler.exchangeFinished(self, closeConnection: true)
    }

    /// Both sides are complete: run the log phase and hand the connection back.
    func finish() {
        guard let context else { return }
        if case .done = phase { return }
        cancelTimers()
        phase = .done
        context.finishedAt = .now()
        handler.exchangeFinished(self, closeConnection: closeAfterResponse)
        runLogPhase(context)
    }

    /// The exchange broke after its response started: the client connection is closed so it sees
    /// a truncated response rather than a wrong one.
    func fail() {
        cancelTimers()
        if case .proxying(let connection) = phase { connection.close() }
        let context = self.context
        phase = .done
        handler.abort(self)
        if let context {
            context.finishedAt = .now()
            runLogPhase(context)
        }
    }

    func runLogPhase(_ context: RequestContext) {
        let chain = context.route?.chain ?? config.globalChain
        for entry in chain.entries {
            entry.instance(for: context.consumer)?.log(context)
        }
    }
}
