/// What a handler made of a job.
public enum JobOutcome: Sendable, Equatable {
    /// Done and committed: the job is acknowledged.
    case done
    /// Done and committed, with a reply for an `rpc` request (sent to the message's `reply_to`
    /// before the job is acknowledged).
    case reply(JobReply)
}

/// A reply to an `rpc` job, as the gateway turns it into an HTTP response: `{"status","headers","body"}`.
public struct JobReply: Sendable, Equatable, Encodable {
    public var status: Int
    public var headers: [String: String]
    public var body: JSONValue?

    public init(status: Int, headers: [String: String] = [:], body: JSONValue? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why a job failed. Throw ``permanent(_:)`` for a job that can never succeed (it is dead-lettered at
/// once); any other error thrown by a handler counts as transient and the job is retried.
public enum JobFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message is not a job the handler understands.
    case malformed(String)
    /// Retrying cannot help.
    case permanent(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed job: \(reason)"
        case .permanent(let reason): "permanent failure: \(reason)"
        }
    }
}
