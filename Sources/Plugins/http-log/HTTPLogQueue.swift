import Gateway
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The entries of one `http-log` configuration on their way to the endpoint, as Kong's queue does
/// it: held in memory (bounded), sent in batches of `max_batch_size` after at most
/// `max_coalescing_delay`, each batch retried with doubling delays for up to `max_retry_time`, then
/// dropped with an error in the log. Adding an entry takes a lock and never waits; the sending runs
/// in a task of its own, off the event loops' request path.
final class HTTPLogQueue: PluginSharedResource {
    private struct State {
        var entries: [ByteBuffer] = []
        var bytes = 0
        var sender: Task<Void, Never>?
        var stopping = false
    }

    private let endpoint: OutboundEndpoint
    private let config: HTTPLogConfig
    private let tls: OutboundTLS?
    private let logger: Logger
    private let state = Mutex(State())

    init(endpoint: OutboundEndpoint, config: HTTPLogConfig, tls: OutboundTLS?, logger: Logger) {
        self.endpoint = endpoint
        self.config = config
        self.tls = tls
        self.logger = logger
    }

    /// Queues one serialized entry (dropped, and logged, when the queue is full).
    func add(_ entry: ByteBuffer) {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopping, state.entries.count < config.queue.maxEntries,
                config.queue.maxBytes.map({ state.bytes + entry.readableBytes <= $0 }) ?? true
            else { return false }
            state.entries.append(entry)
            state.bytes += entry.readableBytes
            if state.sender == nil {
                state.sender = Task { await self.run() }
            }
            return true
        }
        if !accepted {
            logger.error("[http-log] queue full, dropping a log entry", metadata: ["http_endpoint": "\(redactedEndpoint)"])
        }
    }

    /// Sends what is queued now, then stops (the process is shutting down). The sender's waits
    /// (coalescing, retry delays) are cut short; each remaining batch gets one attempt.
    func shutdown() async {
        let sender = state.withLock { state -> Task<Void, Never>? in
            state.stopping = true
            return state.sender
        }
        sender?.cancel()
        await sender?.value
    }

    /// Sends batches until the queue is empty.
    private func run() async {
        var inFlight: [Task<Void, Never>] = []
        while true {
            await coalesce()
            let batch = state.withLock { state -> [ByteBuffer] in
                let batch = Array(state.entries.prefix(config.queue.maxBatchSize))
                state.entries.removeFirst(batch.count)
                state.bytes -= batch.reduce(0) { $0 + $1.readableBytes }
                if batch.isEmpty { state.sender = nil }
                return batch
            }
            if batch.isEmpty { break }
            if config.queue.concurrencyLimit == -1 {
                inFlight.append(Task { _ = await self.deliver(batch) })
            } else if await !deliver(batch), state.withLock({ $0.stopping }) {
                // Stopping with the endpoint failing: do not hold the shutdown one timeout per batch.
                let dropped = state.withLock { state -> Int in
                    defer {
                        state.entries.removeAll()
                        state.bytes = 0
                        state.sender = nil
                    }
                    return state.entries.count
                }
                if dropped > 0 {
                    logger.error("[http-log] stopping: dropping \(dropped) queued log entries", metadata: ["http_endpoint": "\(redactedEndpoint)"])
                }
                break
            }
        }
        for task in inFlight { await task.value }
    }

    /// Waits until a batch is full, the coalescing delay has passed, or the queue is stopping.
    private func coalesce() async {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(config.queue.maxCoalescingDelay * 1000))
        while clock.now < deadline {
            let ready = state.withLock { $0.stopping || $0.entries.count >= config.queue.maxBatchSize }
            if ready { return }
            try? await Task.sleep(for: min(.milliseconds(10), deadline - clock.now))
        }
    }

    /// Sends one batch, retrying until it is accepted or `max_retry_time` has passed; whether it was.
    private func deliver(_ batch: [ByteBuffer]) async -> Bool {
        var body = ByteBuffer()
        if config.queue.maxBatchSize == 1, let only = batch.first {
            body = only
        } else {
            body.writeInteger(UInt8(ascii: "["))
            for (index, entry) in batch.enumerated() {
                if index > 0 { body.writeInteger(UInt8(ascii: ",")) }
                body.writeImmutableBuffer(entry)
            }
            body.writeInteger(UInt8(ascii: "]"))
        }
        var headers = HTTPHeaders()
        for (name, value) in config.headers.sorted(by: { $0.key < $1.key }) { headers.add(name: name, value: value) }
        headers.replaceOrAdd(name: "Content-Type", value: config.contentType.rawValue)
        let clock = ContinuousClock()
        let giveUp = clock.now + .milliseconds(Int64(config.queue.maxRetryTime * 1000))
        var delay = config.queue.initialRetryDelay
        while true {
            let failure: String
            do {
                let response = try await OutboundHTTP.send(
                    HTTPMethod(rawValue: config.method.rawValue),
                    endpoint,
                    headers: headers,
                    body: body,
                    tls: tls,
                    on: MultiThreadedEventLoopGroup.singletonNext(),
                    timeout: .milliseconds(Int64(config.timeout)),
                    maxBytes: 64 * 1024
                ).get()
                if response.status < 300 { return true }
                failure = "request to \(redactedEndpoint) returned status code \(response.status)"
            } catch {
                failure = "request to \(redactedEndpoint) failed: \(error)"
            }
            let stopping = state.withLock { $0.stopping }
            if stopping || clock.now + .milliseconds(Int64(delay * 1000)) > giveUp {
                logger.error(
                    "[http-log] could not send \(batch.count) log entries, dropping them: \(failure)",
                    metadata: ["http_endpoint": "\(redactedEndpoint)"]
                )
                return false
            }
            logger.warning("[http-log] \(failure); retrying in \(delay) s")
            try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            delay = min(delay * 2, config.queue.maxRetryDelay)
        }
    }

    /// The endpoint without its credentials, for the log.
    private var redactedEndpoint: String {
        guard endpoint.credentials != nil else { return endpoint.description }
        return "\(endpoint.isHTTPS ? "https" : "http")://\(endpoint.hostHeader)\(endpoint.target)"
    }
}
