import AMQP
import Foundation
import Logging
import NIOCore
import NIOHTTP1

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
        let promise = request.eventLoop.makePromise(of: LocalResponse.self)
        promise.completeWithTask { await self.handle(request) }
        return promise.futureResult
    }

    private func handle(_ request: DispatchRequest) async -> LocalResponse {
        let jobID = UUID().uuidString.lowercased()
        let body: ByteBuffer
        do {
            body = try JobEnvelope(id: jobID, request: request).encoded()
        } catch {
            return .message(.badRequest, "Invalid JSON body")
        }
        let connection = self.connection()
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
        let properties = Self.properties(jobID: jobID, request: request)
        let bytes = Array(body.readableBytesView)
        let routingKey = settings.routingKey ?? ""
        switch settings.mode {
        case .async:
            do {
                let outcome = try await connection.publish(
                    exchange: settings.exchange,
                    routingKey: routingKey,
                    body: bytes,
                    properties: properties,
                    mandatory: true,
                    confirmTimeout: .milliseconds(Int64(settings.confirmTimeout))
                )
                switch outcome {
                case .confirmed:
                    return Self.accepted(jobID: jobID)
                case .nacked:
                    return Self.unavailable("The message broker refused the job")
                case .unroutable:
                    return Self.unavailable("No queue accepts this job")
                case .timedOut:
                    return Self.unavailable("The message broker did not confirm the job in time")
                }
            } catch {
                logger.warning("publishing a job failed", metadata: ["service": "\(service)", "error": "\(error)"])
                return Self.unavailable("The message broker is unavailable")
            }
        case .rpc:
            do {
                let outcome = try await connection.rpc(
                    exchange: settings.exchange,
                    routingKey: routingKey,
                    body: bytes,
                    properties: properties,
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
actor DeclareOnce {
    private var done = false

    func run(_ operation: @Sendable () async throws -> Void) async throws {
        guard !done else { return }
        try await operation()
        done = true
    }
}
