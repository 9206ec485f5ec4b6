import NIOCore
import NIOHTTP1

/// One request/response exchange on a client connection, from its head to its log phase.
///
/// Lives on the connection's event loop. The request side goes access phase → (connect) → stream
/// body upstream; the response side goes head → body → end. The exchange is over when both sides
/// are: then the log phase runs and the connection takes the next request (or closes).
final class ProxyExchange {
    enum Phase {
        /// Running the access phase of the plugin chain, from `index`; request body is buffered.
        case access(index: Int)
        /// Waiting for an upstream connection; request body is buffered.
        case connecting
        /// Streaming to/from the upstream connection.
        case proxying(UpstreamConnection)
        /// Collecting the request body for a dispatcher, then waiting for its answer.
        case dispatching
        /// A response (local or upstream) is complete or being written; request bytes are discarded.
        case responded
        /// Nothing more happens (finished or abandoned).
        case done
    }

    unowned let handler: DownstreamHandler
    let config: CompiledConfig
    /// The client's request head as parsed, in place (NIO's `HTTPRequestHead` is built from it
    /// only when a plugin asks, through ``RequestContext/originalHead``).
    let raw: RawRequestHead
    var context: RequestContext?
    var phase: Phase = .access(index: 0)
    let keepAlive: Bool

    // Request side.
    /// Whether the client's address is in `trusted_ips` (its forwarding headers are believed).
    var peerIsTrusted = false
    var requestComplete = false
    /// Body received before the request could go anywhere (an array: most requests never need
    /// one, and an empty array allocates nothing, unlike a ring buffer).
    var pendingBody: [ByteBuffer] = []
    var dispatchBody: ByteBuffer?
    var lastClientRead: NIODeadline
    var clientBodyTimer: Scheduled<Void>?
    /// Set while the access chain waits for the whole body a plugin opted in to (its byte limit).
    var awaitedBodyLimit: Int?
    /// Whether `100 Continue` was sent.
    var continueSent = false

    // Upstream side.
    var attempts = 0
    var excludedTargets = Set<Int>()
    var currentTarget: (balancer: LoadBalancer, index: Int)?
    var connectionWasReused = false
    var bodyBytesSentUpstream = 0
    /// Whether the request went upstream as bytes (the byte-level path): its body follows as bytes.
    var upstreamRequestIsRaw = false
    var lastUpstreamActivity: NIODeadline
    var upstreamResponseKeepAlive = true
    /// A response held until its body is complete, for plugins that opted in to the whole body.
    var heldResponse: HeldResponse?
    /// The head of a response relayed as bytes, until its first body bytes join it or the read ends.
    var unsentRelayedHead: ByteBuffer?

    // Response side.
    var responseStarted = false
    var responseComplete = false
    var closeAfterResponse = false

    init(handler: DownstreamHandler, raw: RawRequestHead) {
        let now = NIODeadline.now()
        lastClientRead = now
        lastUpstreamActivity = now
        self.handler = handler
        self.config = handler.environment.store.current
        self.raw = raw
        self.keepAlive = raw.keepAlive
    }

    /// Whether the whole request has been received.
    var isRequestComplete: Bool { requestComplete }

    /// Whether the client connection should stop reading for now.
    var pausesDownstreamReads: Bool {
        switch phase {
        case .access: return !requestComplete && awaitedBodyLimit == nil
        case .connecting: return !requestComplete
        case .proxying(let upstream): return !requestComplete && !upstream.channel.isWritable
        case .dispatching, .responded, .done: return false
        }
    }

    // MARK: Request side

    func requestBody(_ body: ByteBuffer) {
        guard let context else { return }
        context.requestBodyBytes += body.readableBytes
        lastClientRead = .now()
        let limit = config.settings.clientMaxBodySize
        if limit > 0, context.requestBodyBytes > limit, !responseStarted {
            closeAfterResponse = true
            respondLocally(.message(.payloadTooLarge, "Request size limit exceeded"))
            return
        }
        if let bodyLimit = context.requestBodyLimit, context.requestBodyBytes > bodyLimit.maxBytes {
            requestBodyLimitExceeded(bodyLimit)
            return
        }
        switch phase {
        case .access, .connecting:
            pendingBody.append(body)
            if let awaitedBodyLimit, context.requestBodyBytes > awaitedBodyLimit {
                self.awaitedBodyLimit = nil
                closeAfterResponse = true
                respondLocally(.message(.payloadTooLarge, "Request size limit exceeded"))
            }
        case .proxying(let upstream):
            bodyBytesSentUpstream += body.readableBytes
            if upstreamRequestIsRaw {
                upstream.writeRawBody(body)
            } else {
                upstream.write(.body(.byteBuffer(body)))
            }
            if !upstream.channel.isWritable { armUpstreamTimer() }
        case .dispatching:
            if dispatchBody == nil { dispatchBody = body } else { dispatchBody?.writeImmutableBuffer(body) }
            if let dispatcher = dispatcherOfRoute, context.requestBodyBytes > dispatcher.maxBodySize {
                closeAfterResponse = true
                respondLocally(.message(.payloadTooLarge, "Request size limit exceeded"))
            }
        case .responded, .done:
            break
        }
    }

    func requestEnd() {
        requestComplete = true
        clientBodyTimer?.cancel()
        clientBodyTimer = nil
        switch phase {
        case .proxying(let upstream):
            if !upstreamRequestIsRaw { upstream.write(.end(nil)) }
            upstream.flush()
            lastUpstreamActivity = .now()
            armUpstreamTimer()
        case .dispatching:
            dispatch()
        case .responded:
            if responseComplete { finish() }
        case .access(let index):
            if awaitedBodyLimit != nil {
                awaitedBodyLimit = nil
                bufferRequestBody()
                runAccess(from: index)
            }
        case .connecting, .done:
            break
        }
    }

    func downstreamReadComplete() {
        if case .proxying(let upstream) = phase { upstream.flush() }
        // Most requests are complete within their first read; only a body still to come needs a timer.
        if !requestComplete, context != nil { armClientBodyTimer() }
    }

    func downstreamWritabilityChanged(isWritable: Bool) {
        if case .proxying(let upstream) = phase {
            upstream.handler.readsPaused = !isWritable
            if isWritable {
                lastUpstreamActivity = .now()
            }
        }
    }

    /// The client went away: stop everything, the upstream connection cannot be reused mid-exchange.
    func downstreamClosed() {
        if case .proxying(let upstream) = phase, !(responseComplete && requestComplete) {
            upstream.close()
        }
        abandon()
    }

    /// Drops the exchange without writing anything more.
    func abandon() {
        if case .done = phase { return }
        if case .proxying(let upstream) = phase, !(responseComplete && requestComplete) { upstream.close() }
        cancelTimers()
        let wasStarted = context != nil
        phase = .done
        if wasStarted, let context {
            context.finishedAt = .now()
            runLogPhase(context)
        }
    }

    /// Starts watching for a client that stops sending its body.
    func armClientBodyTimer() {
        guard !requestComplete, clientBodyTimer == nil else { return }
        let timeout = config.settings.clientBodyTimeout
        let deadline = lastClientRead + timeout
        clientBodyTimer = handler.environment.pool.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            clientBodyTimer = nil
            guard !requestComplete else { return }
            if case .done = phase { return }
            if pausesDownstreamReads || NIODeadline.now() < lastClientRead + timeout {
                // Paused by us, or the client sent something since: look again later.
                lastClientRead = pausesDownstreamReads ? .now() : lastClientRead
                armClientBodyTimer()
                return
            }
            closeAfterResponse = true
            if !responseStarted {
                if case .proxying(let upstream) = phase { upstream.close() }
                phase = .access(index: Int.max)
                respondLocally(.message(.requestTimeout, "Request timeout"))
            } else {
                fail()
            }
        }
    }

    func cancelTimers() {
        clientBodyTimer?.cancel()
        clientBodyTimer = nil
    }

    var dispatcherOfRoute: (any RequestDispatcher)? {
        if case .dispatcher(let dispatcher) = context?.route?.service?.destination { return dispatcher }
        return nil
    }
}
