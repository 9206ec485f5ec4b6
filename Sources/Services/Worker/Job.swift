import AMQP
import Foundation

/// A job taken from a work queue: the gateway's envelope (DESIGN §7) and where it stands in its retries.
///
/// The ``id`` is the gateway's job id, unique per accepted request: handlers record their effects under
/// it so that a job delivered twice (after a crash, a lost ack, or a retry) changes nothing the second time.
public struct Job: Sendable {
    /// The job id (the envelope's `id`, also the message's `message_id`).
    public let id: String
    /// The envelope: the HTTP request the gateway turned into this job.
    public let request: JobRequest
    /// How many times this job was retried before this attempt (0 on the first).
    public let retries: Int
    /// Whether the broker delivered it before without a settlement (a worker died holding it).
    public let redelivered: Bool
    /// The message as received, for its properties (`reply_to`, `correlation_id`, headers).
    public let message: Message

    /// Decodes a delivery; throws ``JobFailure/malformed(_:)`` when the body is not an envelope.
    public init(message: Message, redelivered: Bool) throws(JobFailure) {
        let request: JobRequest
        do {
            request = try JSONDecoder().decode(JobRequest.self, from: Data(message.body))
        } catch {
            throw .malformed("the message is not a job envelope: \(error)")
        }
        guard let id = request.id ?? message.properties.messageID, !id.isEmpty else {
            throw .malformed("the job has no id")
        }
        self.id = id
        self.request = request
        self.retries = Int(message.properties.headers[RetryPolicy.retryHeader]?.intValue ?? 0)
        self.redelivered = redelivered
        self.message = message
    }

    /// The request body decoded as `T` (it must have been sent as JSON).
    /// Decoded from the message's own bytes, so numbers keep their exact text (amounts in cents).
    public func decodeBody<T: Decodable>(_ type: T.Type) throws -> T {
        guard request.body != nil else { throw JobFailure.malformed("the job has no JSON body") }
        return try JSONDecoder().decode(BodyOnly<T>.self, from: Data(message.body)).body
    }

    /// A request header by (case-insensitive) name; the gateway sends names in lower case.
    public func header(_ name: String) -> String? {
        request.headers[name.lowercased()]
    }
}

/// The request inside a job envelope (DESIGN §7).
public struct JobRequest: Sendable, Decodable {
    /// The job id.
    public var id: String?
    /// The HTTP method.
    public var method: String
    /// The request path.
    public var path: String
    /// The query: a string per name, an array for repeated names, `true` for a bare name.
    public var query: [String: JSONValue]
    /// Request headers (lower-case names; hop-by-hop and `Authorization` removed by the gateway).
    public var headers: [String: String]
    /// Named captures of the route's regex path, e.g. `user_id`.
    public var params: [String: String]
    /// The consumer the gateway authenticated, if any.
    public var consumer: JobConsumer?
    /// The body when it was JSON.
    public var body: JSONValue?
    /// The body in base64 when it was not JSON.
    public var bodyBase64: String?
    /// When the gateway received the request (RFC 3339).
    public var receivedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, method, path, query, headers, params, consumer, body
        case bodyBase64 = "body_base64"
        case receivedAt = "received_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        method = try c.decodeIfPresent(String.self, forKey: .method) ?? "POST"
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? "/"
        query = try c.decodeIfPresent([String: JSONValue].self, forKey: .query) ?? [:]
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        params = try c.decodeIfPresent([String: String].self, forKey: .params) ?? [:]
        consumer = try c.decodeIfPresent(JobConsumer.self, forKey: .consumer)
        body = try c.decodeIfPresent(JSONValue.self, forKey: .body)
        if body == .null { body = nil }
        bodyBase64 = try c.decodeIfPresent(String.self, forKey: .bodyBase64)
        receivedAt = try c.decodeIfPresent(String.self, forKey: .receivedAt)
    }
}

/// The consumer of a job's request as the gateway identified it.
public struct JobConsumer: Sendable, Decodable, Hashable {
    public var id: String
    public var username: String?
    public var customID: String?

    enum CodingKeys: String, CodingKey {
        case id, username
        case customID = "custom_id"
    }
}

/// The envelope's `body` alone, decoded as the handler's type.
private struct BodyOnly<Body: Decodable>: Decodable {
    let body: Body
}
