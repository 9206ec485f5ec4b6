import NIOCore
import NIOHTTP1

extension ProxyExchange: UpstreamResponseReceiver {
    /// Picks a target and gets a connection to it: an idle pooled one, or a new one (retried on a
    /// connect failure up to the service's `retries`; nothing has been sent at that point).
    func connectUpstream(_ service: ProxyService) {
        guard let context else { return }
        let endpoint: HTTPEndpoint
        switch service.destination {
        case .http(let single):
            endpoint = single
            currentTarget = nil
        case .upstream(let balancer, let scheme):
            guard let index = balancer.pick(hashKey: context.clientIP, excluding: excludedTargets) else {
                respondLocally(.message(.serviceUnavailable, "failure to get a peer from the ring-balancer"))
                return
            }
            let target = balancer.targets[index].endpoint
            endpoint = target.scheme == scheme ? target : HTTPEndpoint(scheme: scheme, host: target.host, port: target.port)
            currentTarget = (balancer, index)
            balancer.connectionStarted(index)
        case .dispatcher:
            return
        }
        attempts += 1
        let pool = handler.environment.pool
        if let idle = pool.takeIdle(endpoint) {
            connectionWasReused = true
            attach(idle, service: service)
            return
        }
        connectionWasReused = false
        pool.connect(endpoint, timeout: service.connectTimeout).assumeIsolated().whenComplete { [self] result in
            guard case .connecting = phase else {
                if case .success(let connection) = result { connection.close() }
                return
            }
            switch result {
            case .success(let connection):
                attach(connection, service: service)
            case .failure(let error):
                if let current = currentTarget { excludedTargets.insert(current.index) }
                releaseTarget()
                if attempts <= service.retries {
                    if case .upstream(let balancer, _) = service.destination, excludedTargets.count >= balancer.targets.count {
                        excludedTargets.removeAll()
                    }
                    connectUpstream(service)
                    return
                }
                handler.environment.logger.warning(
                    "upstream connect failed",
                    metadata: ["upstream": "\(endpoint.description)", "error": "\(error)", "request_id": "\(context.requestID)"]
                )
                if error is ChannelError, case .connectTimeout = error as? ChannelError {
                    respondLocally(.message(.gatewayTimeout, "The upstream server is timing out"))
                } else {
                    respondLocally(.message(.badGateway, "An invalid response was received from the upstream server"))
                }
            }
        }
    }

    /// Sends the request head and whatever body is buffered on a ready connection.
    func attach(_ connection: UpstreamConnection, service: ProxyService) {
        guard let context, let route = context.route else { return }
        phase = .proxying(connection)
        connection.useCount += 1
        connection.handler.receiver = self
        connection.decoder.relay = relaysResponseAsBytes ? self : nil
        connection.handler.readsPaused = !handler.isWritable
        context.upstreamAddress = connection.endpoint.description
        let now = NIODeadline.now()
        context.upstreamStartedAt = now
        let client = UpstreamRequestBuilder.ClientInfo(
            peerIP: handler.peer.ip,
            clientIP: context.clientIP,
            peerIsTrusted: peerIsTrusted,
            scheme: context.clientScheme,
            listenPort: handler.environment.listenPort
        )
        // The byte-level path: without plugins nothing changed the request, so its head is written
        // from the client's as parsed, and its body follows as received.
        upstreamRequestIsRaw =
            route.chain.entries.isEmpty
            && RawUpstreamRequest.canWrite(raw, method: context.upstreamMethod, bodyReplaced: context.requestBodyReplaced)
        if upstreamRequestIsRaw {
            var bytes = ByteBufferAllocator().buffer(capacity: raw.bytes.readableBytes + 256)
            RawUpstreamRequest.write(raw, context: context, route: route, endpoint: connection.endpoint, client: client, into: &bytes)
            connection.writeRawHead(bytes, method: context.upstreamMethod)
        } else {
            let requestHead = UpstreamRequestBuilder.build(
                context: context,
                route: route,
                endpoint: connection.endpoint,
                client: client
            )
            connection.write(.head(requestHead))
        }
        let pending = pendingBody
        pendingBody.removeAll()
        for part in pending {
            bodyBytesSentUpstream += part.readableBytes
            if upstreamRequestIsRaw {
                connection.writeRawBody(part)
            } else {
                connection.write(.body(.byteBuffer(part)))
            }
        }
        if requestComplete, !upstreamRequestIsRaw { connection.write(.end(nil)) }
        connection.flush()
        lastUpstreamActivity = now
        armUpstreamTimer()
        handler.resumeReadsIfNeeded()
    }

    // MARK: UpstreamResponseReceiver

    func upstreamResponseHead(_ upstreamHead: HTTPResponseHead) {
        guard let context, case .proxying = phase else { return }
        lastUpstreamActivity = .now()
        context.upstreamRespondedAt = .now()
        upstreamResponseKeepAlive = upstreamHead.isKeepAlive
        var headers = Self.downstreamHeaders(of: upstreamHead.headers, requestID: context.requestID)
        if upstreamHead.headers.hasChunkedTransferEncoding, raw.version == .http1_1 {
            headers.add(name: "transfer-encoding", value: "chunked")
        }
        var responseHead = HTTPResponseHead(version: .http1_1, status: upstreamHead.status, headers: headers)
        if raw.version.minor == 0, !headers.contains(name: "content-length"), upstreamHead.status.mayHaveResponseBody,
            raw.method != .HEAD
        {
            // An HTTP/1.0 client cannot read a chunked body: the end of the body is the connection's close.
            closeAfterResponse = true
        }
        if let holders = responseBodyHolders(for: responseHead) {
            heldResponse = HeldResponse(head: responseHead, body: ByteBuffer(), holders: holders)
            return
        }
        writeResponseHead(&responseHead)
    }

    /// The upstream response's headers as the client gets them, in one pass: hop-by-hop headers (and
    /// those `Connection` names) dropped, the gateway appended to `Via`, `X-Request-Id` set.
    static func downstreamHeaders(of upstream: HTTPHeaders, requestID: String) -> HTTPHeaders {
        var via: [String] = []
        let endToEnd = HopByHop.endToEnd(upstream, capacity: upstream.count + 2) { name, value in
            switch name.utf8.count {
            case 3 where HopByHop.equalsLowercase(name, "via"):
                via.append(value)
                return false
            case 12 where HopByHop.equalsLowercase(name, "x-request-id"):
                return false
            default:
                return true
            }
        }
        var headers = endToEnd.headers
        if endToEnd.connectionNamed.contains("via") { via = [] }
        let token = UpstreamRequestBuilder.viaToken
        headers.add(name: "Via", value: via.isEmpty ? token : via.joined(separator: ", ") + ", " + token)
        headers.add(name: "X-Request-Id", value: requestID)
        return headers
    }

    func upstreamResponseBody(_ body: ByteBuffer) {
        guard let context, case .proxying(let connection) = phase else { return }
        lastUpstreamActivity = .now()
        if heldResponse != nil {
            holdResponseBody(body)
            return
        }
        context.responseBodyBytes += body.readableBytes
        for observer in context.responseObservers { observer.responseBody(body, context: context) }
        handler.write(.body(.byteBuffer(body)))
        if !handler.isWritable { connection.handler.readsPaused = true }
    }

    func upstreamResponseEnd(_ trailers: HTTPHeaders?) {
        guard case .proxying(let connection) = phase else { return }
        upstreamResponseComplete(connection)
        var endTrailers = trailers
        if let held = heldResponse {
            heldResponse = nil
            sendCompleteResponse(head: held.head, body: held.body, plugins: held.holders.plugins)
            endTrailers = nil  // the held body went with a Content-Length
        }
        if let context {
            for observer in context.responseObservers { observer.responseEnd(context: context) }
        }
        handler.write(.end(endTrailers))
        handler.flush()
        if requestComplete { finish() } else { handler.resumeReadsIfNeeded() }
    }

    /// The upstream's response is complete: the connection goes back to the pool, or is closed
    /// when it cannot carry another exchange.
    func upstreamResponseComplete(_ connection: UpstreamConnection) {
        releaseTarget()
        responseComplete = true
        phase = .responded
        if requestComplete, upstreamResponseKeepAlive, !connection.handler.isClosed {
            handler.environment.pool.release(connection)
        } else {
            connection.close()
            if !requestComplete { closeAfterResponse = true }
        }
    }

    func upstreamReadComplete() {
        sendRelayedHead()
        handler.flush()
    }

    func upstreamWritabilityChanged(isWritable: Bool) {
        if isWritable {
            lastUpstreamActivity = .now()
            handler.resumeReadsIfNeeded()
        } else {
            armUpstreamTimer()
        }
    }

    func upstreamFailed(_ error: any Error) {
        guard case .proxying(let connection) = phase else { return }
        connection.close()
        if !responseStarted {
            // A reused keep-alive connection the upstream closed just before our request arrived: the
            // request never reached an application only if nothing but an idempotent, bodyless request
            // was sent. Only then is it tried again, on a new connection.
            heldResponse = nil
            if connectionWasReused, raw.method.isIdempotent, bodyBytesSentUpstream == 0,
                context?.upstreamRespondedAt == nil, let service = context?.route?.service
            {
                phase = .connecting
                releaseTarget()
                attempts -= 1
                connectionWasReused = false
                let endpoint = connection.endpoint
                handler.environment.pool.connect(endpoint, timeout: service.connectTimeout).assumeIsolated().whenComplete {
                    [self] result in
                    guard case .connecting = phase else {
                        if case .success(let fresh) = result { fresh.close() }
                        return
                    }
                    switch result {
                    case .success(let fresh):
                        attempts += 1
                        attach(fresh, service: service)
                    case .failure:
                        respondLocally(.message(.badGateway, "An invalid response was received from the upstream server"))
                    }
                }
                return
            }
            releaseTarget()
            phase = .responded
            respondLocally(.message(.badGateway, "An invalid response was received from the upstream server"))
        } else {
            releaseTarget()
            fail()
        }
    }

    /// When the upstream has been silent too long: `read_timeout` after the last read (once the request
    /// is sent), `write_timeout` while the upstream does not take bytes. nil while nothing is due:
    /// the body still streams at the client's pace (client_body_timeout governs), or no upstream.
    func upstreamDeadline() -> NIODeadline? {
        guard case .proxying(let connection) = phase, let service = context?.route?.service else { return nil }
        let writable = connection.channel.isWritable
        if !requestComplete, writable, !responseStarted { return nil }
        if connection.handler.readsPaused {
            // The client is slow to read the response: not the upstream's fault.
            lastUpstreamActivity = .now()
        }
        return lastUpstreamActivity + (writable ? service.readTimeout : service.writeTimeout)
    }

    /// Asks the connection's watchdog to check this exchange's deadline in time.
    func armUpstreamTimer() {
        guard case .proxying(let connection) = phase, let deadline = upstreamDeadline() else { return }
        connection.checkDeadline(by: deadline)
    }

    func upstreamDeadlineCheck() -> NIODeadline? {
        guard case .proxying(let connection) = phase, let deadline = upstreamDeadline() else { return nil }
        if NIODeadline.now() < deadline { return deadline }
        connection.close()
        releaseTarget()
        if responseStarted {
            fail()
        } else {
            phase = .responded
            closeAfterResponse = closeAfterResponse || !requestComplete
            respondLocally(.message(.gatewayTimeout, "The upstream server is timing out"))
        }
        return nil
    }

    func releaseTarget() {
        if let current = currentTarget {
            current.balancer.connectionFinished(current.index)
            currentTarget = nil
        }
    }
}

extension HTTPMethod {
    /// Idempotent methods (RFC 9110 §9.2.2), which may be sent again after a connection failure.
    var isIdempotent: Bool {
        switch self {
        case .GET, .HEAD, .OPTIONS, .PUT, .DELETE, .TRACE: return true
        default: return false
        }
    }
}
