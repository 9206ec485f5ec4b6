import Foundation
import Ledger
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `pagos notifications` (port 5005): turns payment events into stored notifications (at most one per
/// event id, so a redelivered event changes nothing) and lists them per user; optionally posts each
/// new one to a webhook, with retries.
public struct NotificationsService: Sendable {
    let ledger: any LedgerStore

    public init(ledger: any LedgerStore) {
        self.ledger = ledger
    }

    struct NotificationView: Encodable {
        var notification: LedgerNotification

        enum CodingKeys: String, CodingKey {
            case id, event, message
            case userID = "user_id"
            case transactionID = "transaction_id"
            case createdAt = "created_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(notification.id, forKey: .id)
            try container.encode(notification.userID, forKey: .userID)
            try container.encode(notification.event, forKey: .event)
            try container.encode(notification.transactionID, forKey: .transactionID)
            try container.encode(notification.message, forKey: .message)
            try container.encode(LedgerTimestamp.rfc3339(notification.createdAt), forKey: .createdAt)
        }
    }

    public var router: ServiceRouter {
        var router = ServiceRouter()
        router.add(.GET, "/notifications") { request in
            guard let text = request.query["user_id"], let userID = Int64(text) else {
                throw HTTPError(.badRequest, "user_id (an integer) is required")
            }
            let limit = try PaymentsService.limit(request.query["limit"])
            let notifications = try await ledger.notifications(userID: userID, limit: limit)
            return .json(["notifications": notifications.map { NotificationView(notification: $0) }])
        }
        return router
    }
}

/// The handler of the notifications worker: one notification per payment event, for the payer.
public struct PaymentEventHandler: MessageHandler {
    let ledger: any LedgerStore
    let webhook: Webhook?
    let logger: Logger

    public init(ledger: any LedgerStore, webhook: Webhook?, logger: Logger) {
        self.ledger = ledger
        self.webhook = webhook
        self.logger = logger
    }

    /// The part of a payment event a notification needs.
    struct Event: Decodable {
        struct Transaction: Decodable {
            var id: String
            var userID: Int64
            var amount: Int64
            var reason: String?

            enum CodingKeys: String, CodingKey {
                case id, amount, reason
                case userID = "user_id"
            }
        }

        var event: String
        var eventID: String
        var transaction: Transaction

        enum CodingKeys: String, CodingKey {
            case event, transaction
            case eventID = "event_id"
        }
    }

    public func handle(_ message: ReceivedMessage) async throws -> JobOutcome {
        let event: Event
        do {
            event = try JSONDecoder().decode(Event.self, from: Data(message.message.body))
        } catch {
            throw JobFailure.malformed("not a payment event: \(error)")
        }
        let notification = NewNotification(
            eventID: event.eventID,
            userID: event.transaction.userID,
            event: event.event,
            transactionID: event.transaction.id,
            message: Self.message(for: event)
        )
        let insert = try await ledger.recordNotification(notification)
        if insert.inserted {
            logger.info("notification stored", metadata: ["event": "\(event.eventID)", "user": "\(event.transaction.userID)"])
            if let webhook { await webhook.deliver(NotificationsService.NotificationView(notification: insert.notification)) }
        }
        return .done
    }

    /// "Payment of 12.50 completed" / "Payment of 12.50 rejected: insufficient_funds".
    static func message(for event: Event) -> String {
        let amount = "\(Money.majorUnits(event.transaction.amount))"
        switch event.event {
        case "payment.completed": return "Payment \(event.transaction.id) of \(amount) completed"
        case "payment.rejected":
            return "Payment \(event.transaction.id) of \(amount) rejected: \(event.transaction.reason ?? "unknown")"
        default: return "\(event.event) for payment \(event.transaction.id)"
        }
    }
}

/// Posts notifications to `PAGOS_WEBHOOK_URL` as JSON, retrying with exponential backoff. Delivery is
/// best effort after the notification is stored: a webhook that stays down loses the call, not the
/// notification.
public struct Webhook: Sendable {
    public let url: URL
    public let attempts: Int
    public let firstDelay: Duration
    let logger: Logger

    public init(url: URL, attempts: Int = 5, firstDelay: Duration = .milliseconds(200), logger: Logger) {
        self.url = url
        self.attempts = max(1, attempts)
        self.firstDelay = firstDelay
        self.logger = logger
    }

    func deliver(_ body: some Encodable) async {
        guard let data = try? JSONEncoder().encode(body) else { return }
        var delay = firstDelay
        for attempt in 1...attempts {
            var request = URLRequest(url: url, timeoutInterval: 5)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = data
            if let (_, response) = try? await URLSession.shared.data(for: request),
                let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status)
            {
                return
            }
            logger.warning("webhook failed", metadata: ["attempt": "\(attempt)", "url": "\(url)"])
            if attempt < attempts {
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
    }
}
