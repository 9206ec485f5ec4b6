import AMQP
import Foundation

/// Publishes payment jobs the way the gateway's amqp route does (DESIGN §7's envelope and properties),
/// for the legacy `POST /usuarios/{id}/pagar`, which the seed system answered itself.
public struct PaymentJobPublisher: Sendable {
    let connection: AMQPConnection
    let queue: WorkQueue

    /// Publishes on `connection` (a publishing connection) to `queue`'s exchange and routing key.
    public init(connection: AMQPConnection, queue: WorkQueue) {
        self.connection = connection
        self.queue = queue
    }

    /// Why a job could not be queued.
    public struct NotQueued: Error, CustomStringConvertible {
        public let description: String
    }

    /// Queues a payment of `amount` cents from `userID` and returns the job id once the broker confirmed it.
    public func publishPayment(userID: Int64, amount: Int64, path: String, requestID: String? = nil) async throws -> String {
        let jobID = UUID().uuidString.lowercased()
        let envelope: [String: Any] = [
            "id": jobID,
            "method": "POST",
            "path": path,
            "query": [String: String](),
            "headers": [String: String](),
            "params": ["user_id": String(userID)],
            "consumer": NSNull(),
            "body": ["amount": amount],
            "received_at": ISO8601DateFormatter().string(from: Date()),
        ]
        let body = try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys])
        var headers: [String: FieldValue] = [:]
        if let requestID { headers["x-request-id"] = .string(requestID) }
        let outcome: PublishOutcome
        do {
            outcome = try await connection.publish(
                exchange: queue.exchange,
                routingKey: queue.routingKey,
                body: Array(body),
                properties: MessageProperties(
                    contentType: "application/json",
                    headers: headers,
                    deliveryMode: .persistent,
                    correlationID: requestID,
                    messageID: jobID,
                    timestamp: Date(),
                    type: "http-request",
                    appID: "pagos-users"
                ),
                mandatory: true
            )
        } catch {
            throw NotQueued(description: "the message broker is unavailable")
        }
        guard outcome == .confirmed else {
            throw NotQueued(description: "the message broker did not accept the job (\(outcome))")
        }
        return jobID
    }
}
