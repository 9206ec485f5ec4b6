/// How many times and how late a failed job is tried again before it is dead-lettered.
///
/// A failed job is republished to `<queue>.retry`, whose TTL sends it back to the work queue after
/// ``delay`` (RabbitMQ's dead-lettering on expiry), with its retry count in the ``retryHeader`` header;
/// after ``maxRetries`` retries it is rejected and the work queue's dead-letter exchange moves it to
/// `<queue>.dead`.
public struct RetryPolicy: Sendable, Hashable {
    /// The message header carrying the number of retries so far.
    public static let retryHeader = "x-pasarela-retries"

    /// Retries after the first attempt; 0 dead-letters on the first failure.
    public var maxRetries: Int
    /// How long a failed job waits before its next attempt (the retry queue's TTL; changing it needs
    /// the retry queue deleted, as RabbitMQ refuses to redeclare a queue with other arguments).
    public var delay: Duration

    /// Three retries, five seconds apart.
    public init(maxRetries: Int = 3, delay: Duration = .seconds(5)) {
        self.maxRetries = max(0, maxRetries)
        self.delay = delay
    }

    /// What to do with a job after an attempt.
    public enum Decision: Sendable, Equatable {
        /// Acknowledge it (after sending the reply, if any).
        case acknowledge(JobReply?)
        /// Republish it to the retry queue with this retry count, then acknowledge the original.
        case retry(next: Int)
        /// Reject it without requeueing: the dead-letter exchange moves it to `<queue>.dead`.
        case deadLetter(reason: String)
    }

    /// The decision for an attempt that ended with `result` after `retries` earlier retries.
    public func decide(_ result: Result<JobOutcome, any Error>, retries: Int) -> Decision {
        switch result {
        case .success(.done):
            return .acknowledge(nil)
        case .success(.reply(let reply)):
            return .acknowledge(reply)
        case .failure(let failure as JobFailure):
            return .deadLetter(reason: failure.description)
        case .failure(let error):
            if retries < maxRetries { return .retry(next: retries + 1) }
            return .deadLetter(reason: "failed after \(retries) retries: \(error)")
        }
    }
}
