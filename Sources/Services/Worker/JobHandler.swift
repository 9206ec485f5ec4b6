import AMQP

/// Handles any message from a queue (events, not only the gateway's job envelopes). Commit the
/// message's effects before returning: it is acknowledged only after this returns.
public protocol MessageHandler: Sendable {
    /// Handles the message; throw ``JobFailure`` when it can never succeed, anything else to retry.
    func handle(_ message: ReceivedMessage) async throws -> JobOutcome
}

/// A message as a worker received it.
public struct ReceivedMessage: Sendable {
    /// The message.
    public let message: Message
    /// How many times it was retried before this attempt (0 on the first).
    public let retries: Int
    /// Whether the broker delivered it before without a settlement (a worker died holding it).
    public let redelivered: Bool

    public init(message: Message, retries: Int, redelivered: Bool) {
        self.message = message
        self.retries = retries
        self.redelivered = redelivered
    }

    /// The message id (`message_id`), if it has one.
    public var id: String? { message.properties.messageID }
}

/// Does the work of one job. Commit the job's effects (recorded under ``Job/id``, so that doing the
/// same job twice changes nothing) before returning: the job is acknowledged only after this returns.
public protocol JobHandler: Sendable {
    /// Handles the job; throw ``JobFailure`` for a job that can never succeed, anything else to retry.
    func handle(_ job: Job) async throws -> JobOutcome
}

/// A handler made of a closure.
public struct ClosureJobHandler: JobHandler {
    let body: @Sendable (Job) async throws -> JobOutcome

    public init(_ body: @escaping @Sendable (Job) async throws -> JobOutcome) {
        self.body = body
    }

    public func handle(_ job: Job) async throws -> JobOutcome {
        try await body(job)
    }
}

/// Decodes the gateway's job envelope and hands the ``Job`` on; a message that is not an envelope
/// is dead-lettered.
struct EnvelopeHandler: MessageHandler {
    let jobs: any JobHandler

    func handle(_ message: ReceivedMessage) async throws -> JobOutcome {
        let job = try Job(message: message.message, redelivered: message.redelivered)
        return try await jobs.handle(job)
    }
}
