import AMQP
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Sends requests routed to an `amqp` service to RabbitMQ as jobs (DESIGN §7).
///
/// `mode: async` answers `202 {"job_id","status":"queued"}` only once the broker has confirmed the
/// persistent message; no connection, a nack, no queue for the routing key or no confirm in time
/// answer 503 with `Retry-After`. `mode: rpc` publishes with direct reply-to and turns the worker's
/// `{"status","headers","body"}` into the response; no reply in time answers 504.
final class AMQPDispatcher: RequestDispatcher {
    let service: String
    let connection: @Sendable () -> AMQPConnection
    let settings: AMQPServiceConfig
    let topology: Topology?
    let maxBodySize: Int
    let logger: Logger
    private let declared = DeclareOnce()
    private let outboxes = PublishOutboxes()
    private let jobIDs = Mutex(RequestIDGenerator())

    init(
        service: String,
        settings: AMQPServiceConfig,
        maxBodySize: Int,
        logger: Logger,
        connection: @escaping @Sendable () -> AMQPConnection
    ) {
        self.service = service
        self.settings = settings
        self.maxBodySize = maxBodySize
        self.logger = logger
        self.connection = connection
        self.topology =
            settings.declare ? WorkQueue(exchange: settings.exchange, routingKey: settings.routingKey ?? "").topology : nil
    }

    func dispatch(_ request: DispatchRequest) -> EventLoopFuture<LocalResponse> {
        let jobID = jobIDs.withLock { $0.uuid() }
        let body: ByteBuffer
        do {
            body = try JobEnvelope(id: jobID, request: request).encoded()
        } catch {
            return request.eventLoop.makeSucceededFuture(.message(.badRequest, "Invalid JSON body"))
        }
        let job = Job(id: jobID, body: Array(body.readableBytesView), properties: Self.properties(jobID: jobID, request: request))
        let connection = self.connection()
        let promise = request.eventLoop.makePromise(of: LocalResponse.self)
        if settings.mode == .async, connection.state.isConnected, topology == nil || declared.isDone,
            request.eventLoop.inEventLoop
        {
            // The fast path: from the event loop to the connection's thread (with the other jobs of
            // this loop turn) and back, no task.
            let box = outboxes.outbox(for: request.eventLoop)
            box.value.add(pendingPublish(job) { promise.succeed($0) }, on: connection, loop: request.eventLoop, box: box)
        } else {
            promise.completeWithTask { await self.handle(job, on: connection) }
        }
        return promise.futureResult
    }

    /// A job ready to publish.
    struct Job: Sendable {
        let id: String
        let body: [UInt8]
        let properties: MessageProperties
    }

    /// The slow path: waits for a connection attempt under way and the queue declaration; rpc.
    private func handle(_ job: Job, on connection: AMQPConnection) async -> LocalResponse {
        if !connection.state.isConnected {
            // The first requests after start (or during a reconnect attempt) wait for the attempt
            // under way rather than fail; a broker known to be down still answers 503 at once.
            _ = await connection.waitWhileConnecting(timeout: Self.connectGrace(settings))
        }
        if let topology {
            do {
                try await declared.run { @Sendable in try await connection.declare(topology) }
            } catch {
                logger.warning("declaring the job queue failed", metadata: ["service": "\(service)", "error": "\(error)"])
            }
        }
        switch settings.mode {
        case .async:
            return await withCheckedContinuation { continuation in
                publish(job, on: connection) { continuation.resume(returning: $0) }
            }
        case .rpc:
            do {
                let outcome = try await connection.rpc(
                    exchange: settings.exchange,
                    routingKey: settings.routingKey ?? "",
                    body: job.body,
                    properties: job.properties,
                    timeout: .milliseconds(Int64(settings.replyTimeout))
                )
                switch outcome {
                case .reply(let message):
                    return RPCReply.response(from: message.body)
                case .notDelivered:
                    return Self.unavailable("No queue accepts this job")
                case .timedOut:
                    return .message(.gatewayTimeout, "The upstream server is timing out")
                }
            } catch {
                logger.warning("publishing an rpc job failed", metadata: ["service": "\(service)", "error": "\(error)"])
                return Self.unavailable("The message broker is unavailable")
            }
        }
    }

    /// Publishes an async job; `respond` gets 202 once the broker confirmed it, else 503.
    private func publish(_ job: Job, on connection: AMQPConnection, respond: @escaping @Sendable (LocalResponse) -> Void) {
        connection.publish([pendingPublish(job, respond: respond)])
    }

    /// An async job ready to hand over; `respond` gets 202 once the broker confirmed it, else 503.
    private func pendingPublish(_ job: Job, respond: @escaping @Sendable (LocalResponse) -> Void) -> AMQPConnection.PendingPublish {
        let service = self.service
        let logger = self.logger
        return AMQPConnection.PendingPublish(
            exchange: settings.exchange,
            routingKey: settings.routingKey ?? "",
            body: job.body,
            properties: job.properties,
            mandatory: true,
            confirmTimeout: .milliseconds(Int64(settings.confirmTimeout))
        ) { result in
            switch result {
            case .success(.confirmed):
                respond(Self.accepted(jobID: job.id))
            case .success(.nacked):
                respond(Self.unavailable("The message broker refused the job"))
            case .success(.unroutable):
                respond(Self.unavailable("No queue accepts this job"))
            case .success(.timedOut):
                respond(Self.unavailable("The message broker did not confirm the job in time"))
            case .failure(let error):
                logger.warning("publishing a job failed", metadata: ["service": "\(service)", "error": "\(error)"])
                respond(Self.unavailable("The message broker is unavailable"))
            }
        }
    }

    /// How long a request waits for a connection attempt under way: its own time budget, at most 2 s.
    static func connectGrace(_ settings: AMQPServiceConfig) -> Duration {
        let budget = settings.mode == .async ? settings.confirmTimeout : settings.replyTimeout
        return .milliseconds(Int64(min(budget, 2000)))
    }

    static func properties(jobID: String, request: DispatchRequest) -> MessageProperties {
        var headers: [String: FieldValue] = ["x-request-id": .string(request.requestID)]
        if let username = request.consumer?.username { headers["x-consumer-username"] = .string(username) }
        if let traceparent = request.headers.first(name: "traceparent") { headers["traceparent"] = .string(traceparent) }
        return MessageProperties(
            contentType: "application/json",
            headers: headers,
            deliveryMode: .persistent,
            correlationID: request.requestID,
            messageID: jobID,
            timestamp: Date(),
            type: "http-request",
            appID: "pasarela"
        )
    }

    static func accepted(jobID: String) -> LocalResponse {
        var body = ByteBuffer()
        body.writeString("{\"job_id\":")
        JSONString.write(jobID, into: &body)
        body.writeString(",\"status\":\"queued\"}")
        return LocalResponse(status: .accepted, headers: ["Content-Type": "application/json"], body: body)
    }

    static func unavailable(_ message: String) -> LocalResponse {
        .message(.serviceUnavailable, message, headers: ["Retry-After": "5"])
    }
}

/// Runs an async operation once successfully; concurrent callers wait for the same attempt.
final class DeclareOnce: Sendable {
    private let running = AsyncSerializer()
    private let done = Atomic<Bool>(false)

    /// Whether the operation has succeeded (readable from any thread without waiting).
    var isDone: Bool { done.load(ordering: .acquiring) }

    func run(_ operation: @Sendable () async throws -> Void) async throws {
        guard !isDone else { return }
        try await running.run {
            guard !self.isDone else { return }
            try await operation()
            self.done.store(true, ordering: .releasing)
        }
    }
}

/// Runs operations one at a time.
actor AsyncSerializer {
    func run(_ operation: @Sendable () async throws -> Void) async throws {
        try await operation()
    }
}
