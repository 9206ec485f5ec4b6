import AMQP
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Consumes a work queue and hands each job to a ``JobHandler`` (the gateway's job envelopes) or a
/// ``MessageHandler`` (any message, e.g. events) (DESIGN §8's worker kit).
///
/// A job is acknowledged only after its handler returned, so a worker that dies mid-job leaves it to
/// the broker, which delivers it again (``Job/redelivered``). A handler that throws has its job
/// republished to `<queue>.retry` (back on the work queue after the policy's delay) until the policy's
/// retries are used up; then the job is rejected and RabbitMQ dead-letters it to `<queue>.dead`.
///
/// Two connections, as RabbitMQ advises: one consumes (and declares the queue layout on every
/// connect), the other publishes retries and rpc replies with publisher confirms. Both reconnect by
/// themselves; the consumer resumes after a reconnect.
///
/// As a `ServiceLifecycle` service, a graceful shutdown stops it as ``stop()`` does.
public final class Worker: Service, Sendable {
    /// The configuration the worker was made with.
    public let configuration: WorkerConfiguration
    /// What the worker has done so far.
    public let counters = WorkerCounters()
    let handler: any MessageHandler
    let logger: Logger
    let consuming: AMQPConnection
    let publishing: AMQPConnection
    private let state = Mutex(RunState())

    private struct RunState {
        var consumer: AMQPConsumer?
        var stopping = false
    }

    /// Creates a worker for the gateway's job envelopes; jobs flow once ``run()`` is called.
    public convenience init(configuration: WorkerConfiguration, handler: any JobHandler, logger: Logger) {
        self.init(configuration: configuration, messageHandler: EnvelopeHandler(jobs: handler), logger: logger)
    }

    /// Creates a worker for messages of any shape (e.g. events); they flow once ``run()`` is called.
    public init(configuration: WorkerConfiguration, messageHandler handler: any MessageHandler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        consuming = AMQPConnection(
            configuration: AMQPConfiguration(
                url: configuration.url,
                connectionName: configuration.name + " consumer",
                topology: configuration.queue.workerTopology(retryDelay: configuration.retry.delay)
            ),
            logger: logger
        )
        publishing = AMQPConnection(
            configuration: AMQPConfiguration(url: configuration.url, connectionName: configuration.name + " publisher"),
            logger: logger
        )
    }

    /// Whether the worker is connected to the broker (both connections up).
    public var isConnected: Bool {
        consuming.state.isConnected && publishing.state.isConnected
    }

    /// Jobs waiting in the work queue (ready, not yet delivered), or `nil` without a broker.
    public func queueDepth() async -> Int? {
        try? await publishing.inspect(queue: configuration.queue.queue).messages
    }

    /// Waits until both connections are up, at most `timeout`.
    public func waitUntilConnected(timeout: Duration) async -> Bool {
        let consumer = await consuming.waitUntilConnected(timeout: timeout)
        let publisher = await publishing.waitUntilConnected(timeout: timeout)
        return consumer && publisher
    }

    /// Handles jobs until ``stop()``; returns once the jobs in flight at that moment are settled.
    /// - Throws: when the broker refuses the consumer or cancels it (the queue was deleted).
    public func run() async throws {
        let consumer = try await consuming.consume(queue: configuration.queue.queue, prefetch: configuration.prefetch)
        let stoppedEarly = state.withLock { state in
            state.consumer = consumer
            return state.stopping
        }
        if stoppedEarly { await consumer.cancel() }
        logger.info("worker started", metadata: ["queue": "\(configuration.queue.queue)"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                // The broker sends at most `prefetch` unsettled deliveries, which bounds the tasks in flight.
                for try await delivery in consumer {
                    group.addTask { await self.process(delivery) }
                }
            }
        } onGracefulShutdown: {
            Task { await consumer.cancel() }
        }
        logger.info("worker stopped", metadata: ["queue": "\(configuration.queue.queue)"])
    }

    /// Stops taking jobs; ``run()`` returns once the jobs in flight are settled. Idempotent.
    public func stop() async {
        let consumer = state.withLock { state in
            state.stopping = true
            return state.consumer
        }
        await consumer?.cancel()
    }

    /// Closes the connections (after ``run()`` returned).
    public func close() async {
        await consuming.close()
        await publishing.close()
    }

    func process(_ delivery: Delivery) async {
        counters.inFlight.add(1, ordering: .relaxed)
        defer { counters.inFlight.subtract(1, ordering: .relaxed) }
        let received = ReceivedMessage(
            message: delivery.message,
            retries: Int(delivery.properties.headers[RetryPolicy.retryHeader]?.intValue ?? 0),
            redelivered: delivery.redelivered
        )
        let result: Result<JobOutcome, any Error>
        do {
            result = .success(try await handler.handle(received))
        } catch {
            result = .failure(error)
        }
        let id = Self.jobID(of: delivery.message)
        switch configuration.retry.decide(result, retries: received.retries) {
        case .acknowledge(let reply):
            if let reply { await send(reply, to: delivery.message, id: id) }
            await settle(id) { try await delivery.ack() }
            counters.completed.add(1, ordering: .relaxed)
        case .retry(let next):
            await retry(delivery, id: id, next: next, error: result)
        case .deadLetter(let reason):
            await deadLetter(delivery, jobID: id, reason: reason)
        }
    }

    /// The id to log a message under: its `message_id`.
    static func jobID(of message: Message) -> String? {
        message.properties.messageID
    }

    private func send(_ reply: JobReply, to message: Message, id: String?) async {
        guard message.properties.replyTo != nil else { return }
        do {
            let body = try JSONEncoder().encode(reply)
            _ = try await publishing.reply(
                to: message,
                body: Array(body),
                properties: MessageProperties(contentType: "application/json")
            )
        } catch {
            // The caller is told nothing and times out (504); the job's effects are committed anyway.
            logger.warning("could not send the rpc reply", metadata: ["job": "\(id ?? "?")", "error": "\(error)"])
        }
    }

    private func retry(_ delivery: Delivery, id: String?, next: Int, error: Result<JobOutcome, any Error>) async {
        var properties = delivery.properties
        properties.headers[RetryPolicy.retryHeader] = .int(Int64(next))
        properties.deliveryMode = .persistent
        let outcome: PublishOutcome?
        do {
            outcome = try await publishing.publish(
                exchange: "",
                routingKey: configuration.queue.retryQueue,
                body: delivery.body,
                properties: properties,
                mandatory: true
            )
        } catch {
            outcome = nil
        }
        if outcome == .confirmed {
            logger.notice(
                "job failed, retrying",
                metadata: ["job": "\(id ?? "?")", "retry": "\(next)", "error": "\(error)"]
            )
            counters.retried.add(1, ordering: .relaxed)
            await settle(id) { try await delivery.ack() }
        } else {
            // The retry could not be queued: give the job back to the broker after a pause, so a
            // broken publisher does not spin it.
            logger.warning("job failed and could not be queued for retry", metadata: ["job": "\(id ?? "?")"])
            try? await Task.sleep(for: min(configuration.retry.delay, .seconds(1)))
            await settle(id) { try await delivery.nack(requeue: true) }
        }
    }

    private func deadLetter(_ delivery: Delivery, jobID: String?, reason: String) async {
        logger.error("job dead-lettered", metadata: ["job": "\(jobID ?? "?")", "reason": "\(reason)"])
        counters.deadLettered.add(1, ordering: .relaxed)
        await settle(jobID) { try await delivery.reject(requeue: false) }
    }

    private func settle(_ jobID: String?, _ settlement: () async throws -> Void) async {
        do {
            try await settlement()
        } catch {
            // The channel went away: the broker delivers the job again, and the handler's
            // idempotency (the job id) makes that harmless.
            counters.lostSettlements.add(1, ordering: .relaxed)
            logger.warning("settling a job failed", metadata: ["job": "\(jobID ?? "?")", "error": "\(error)"])
        }
    }
}
