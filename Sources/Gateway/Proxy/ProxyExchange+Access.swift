import NIOCore
import NIOHTTP1

extension ProxyExchange {
    /// Parses, normalises and routes the request head, then runs the access phase.
    func start() {
        let settings = config.settings
        let incomingID = raw.firstValue(named: "x-request-id")
        let requestID = incomingID.flatMap { RequestID.isWellFormed($0) ? $0 : nil } ?? handler.requestIDs.make()

        if raw.target.count > settings.maxRequestLine {
            respondBeforeContext(.message(.uriTooLong, "Request-URI too long"), requestID: requestID)
            return
        }
        let (peer, peerIP) = handler.peer
        let trusted = settings.trustedIPs.contains(peerIP)
        peerIsTrusted = trusted
        let clientIP = trusted ? (Self.forwardedClientIP(raw) ?? peerIP) : peerIP
        let scheme = trusted ? (raw.firstValue(named: "x-forwarded-proto")?.lowercased() ?? "http") : "http"

        guard let target = RequestTarget(raw.targetString) else {
            closeAfterResponse = true
            respondBeforeContext(.message(.badRequest, "Bad request"), requestID: requestID)
            return
        }
        let context = RequestContext(
            eventLoop: handler.environment.pool.eventLoop,
            requestID: requestID,
            parsed: raw,
            path: target.path,
            query: target.query,
            peerAddress: peer,
            clientIP: clientIP,
            clientScheme: scheme
        )
        self.context = context

        // (Ambiguous framing, such as Content-Length with Transfer-Encoding, never gets here: the
        // request parser refuses it with a 400.)
        if settings.clientMaxBodySize > 0, case .length(let length) = raw.framing, length > settings.clientMaxBodySize {
            closeAfterResponse = true
            respondLocally(.message(.payloadTooLarge, "Request size limit exceeded"))
            return
        }

        let host = UpstreamRequestBuilder.hostWithoutPort(raw.host.map { raw.string($0) } ?? target.host ?? "")
            .lowercased()
        guard let resolution = config.resolve(method: raw.method.rawValue, host: host, path: target.path, headers: raw)
        else {
            respondLocally(.message(.notFound, "no Route matched with those values"))
            return
        }
        context.route = resolution.route
        context.captures = resolution.captures
        context.upstreamPath = resolution.upstreamPath
        context.strippedPrefix = resolution.strippedPrefix
        runAccess(from: 0)
    }

    /// Runs plugins' access phases from `index` until one answers, one waits, or all passed.
    func runAccess(from index: Int) {
        guard let context, let route = context.route else { return }
        let entries = route.chain.entries
        let preflight = context.isPreflight
        var position = index
        while position < entries.count {
            guard let plugin = entries[position].instance(for: context.consumer) else {
                position += 1
                continue
            }
            if preflight, !plugin.runsOnPreflight {
                position += 1
                continue
            }
            if let limit = plugin.requestBodyBufferLimit(context), awaitRequestBody(limit: limit, resumingAt: position) {
                return
            }
            switch plugin.access(context) {
            case .proceed:
                position += 1
            case .respond(let response):
                respondLocally(response, source: .exit)
                return
            case .wait(let future):
                phase = .access(index: position + 1)
                future.hop(to: context.eventLoop).assumeIsolated().whenComplete { [self] result in
                    guard case .access(let resume) = phase, resume == position + 1 else { return }
                    switch result {
                    case .success(.proceed):
                        runAccess(from: resume)
                    case .success(.respond(let response)):
                        respondLocally(response, source: .exit)
                    case .failure(let error):
                        handler.environment.logger.error(
                            "plugin failed",
                            metadata: ["plugin": "\(plugin.name)", "error": "\(error)", "request_id": "\(context.requestID)"]
                        )
                        respondLocally(.message(.internalServerError, "An unexpected error occurred"))
                    }
                }
                return
            }
        }
        accessPassed()
    }

    /// The access phase let the request through: send it to its destination.
    func accessPassed() {
        guard let context, let route = context.route else { return }
        guard let service = route.service else {
            respondLocally(.message(.serviceUnavailable, "no Service found with those values"))
            return
        }
        sendContinueIfExpected()
        if context.requestBodyReplaced {
            pendingBody.removeAll()
            if let body = context.requestBody, body.readableBytes > 0 { pendingBody.append(body) }
        }
        switch service.destination {
        case .dispatcher:
            phase = .dispatching
            let pending = pendingBody
            pendingBody.removeAll()
            for part in pending {
                if dispatchBody == nil { dispatchBody = part } else { dispatchBody?.writeImmutableBuffer(part) }
            }
            if requestComplete { dispatch() } else { handler.resumeReadsIfNeeded() }
        case .http, .upstream:
            phase = .connecting
            connectUpstream(service)
        }
    }

    /// Sends `100 Continue` once, when an HTTP/1.1 client asked for it and its body is still to come.
    func sendContinueIfExpected() {
        guard !continueSent, !requestComplete, raw.expectsContinue else { return }
        continueSent = true
        handler.write(.head(HTTPResponseHead(version: .http1_1, status: .continue)))
        handler.flush()
    }

    /// Hands a fully received request to the route's dispatcher (e.g. the AMQP bridge).
    func dispatch() {
        guard let context, let dispatcher = dispatcherOfRoute else { return }
        let request = DispatchRequest(
            requestID: context.requestID,
            method: context.upstreamMethod,
            path: context.path,
            query: context.query,
            headers: {
                var headers = context.requestHeaders
                HopByHop.strip(&headers)
                return headers
            }(),
            captures: context.captures,
            consumer: context.consumer,
            body: dispatchBody ?? ByteBuffer(),
            eventLoop: context.eventLoop
        )
        dispatchBody = nil
        context.upstreamStartedAt = .now()
        dispatcher.dispatch(request).hop(to: context.eventLoop).assumeIsolated().whenComplete { [self] result in
            guard case .dispatching = phase else { return }
            self.context?.upstreamRespondedAt = .now()
            switch result {
            case .success(let response): respondLocally(response, source: .service)
            case .failure:
                respondLocally(
                    .message(.serviceUnavailable, "The upstream service is unavailable", headers: ["retry-after": "5"])
                )
            }
        }
    }

    /// The client IP a trusted proxy reports: `X-Real-IP`, else the last `X-Forwarded-For` entry.
    static func forwardedClientIP(_ head: RawRequestHead) -> String? {
        if let real = head.firstValue(named: "x-real-ip")?.trimmingCharacters(), !real.isEmpty { return real }
        if let forwarded = head.values(named: "x-forwarded-for").last?.split(separator: ",").last {
            let value = String(forwarded.trimmingSpaces)
            return value.isEmpty ? nil : value
        }
        return nil
    }
}

extension String {
    func trimmingCharacters() -> String { String(Substring(self).trimmingSpaces) }
}
