import AMQP
import Foundation
import Ledger
import Logging

/// `pagos payments` (port 5001): the HTTP side of the payments worker: transactions and status.
public struct PaymentsService: Sendable {
    let ledger: any LedgerStore
    let handler: PaymentJobHandler
    let worker: Worker

    public init(ledger: any LedgerStore, handler: PaymentJobHandler, worker: Worker) {
        self.ledger = ledger
        self.handler = handler
        self.worker = worker
    }

    /// A transaction as the API shows it.
    struct TransactionView: Encodable {
        var transaction: LedgerTransaction

        enum CodingKeys: String, CodingKey {
            case id, amount, status, reason, description
            case userID = "user_id"
            case toUserID = "to_user_id"
            case createdAt = "created_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(transaction.id, forKey: .id)
            try container.encode(transaction.userID, forKey: .userID)
            try container.encode(transaction.toUserID, forKey: .toUserID)
            try container.encode(transaction.amount, forKey: .amount)
            try container.encode(transaction.status.rawValue, forKey: .status)
            try container.encode(transaction.reason?.rawValue, forKey: .reason)
            try container.encode(transaction.description, forKey: .description)
            try container.encode(LedgerTimestamp.rfc3339(transaction.createdAt), forKey: .createdAt)
        }
    }

    struct StatusView: Encodable {
        var status: String
        var broker: String
        var processed: Int
        var rejected: Int
        var inFlight: Int
        var retried: Int
        var deadLettered: Int
        var queueDepth: Int?

        enum CodingKeys: String, CodingKey {
            case status, broker, processed, rejected, retried
            case queueDepth = "queue_depth"
            case inFlight = "in_flight"
            case deadLettered = "dead_lettered"
        }
    }

    public var router: ServiceRouter {
        var router = ServiceRouter()
        router.add(.GET, "/transactions/:id") { request in
            let id = request.parameters["id"] ?? ""
            guard !id.isEmpty, id.count <= 200, let transaction = try await ledger.transaction(id: id) else {
                throw HTTPError(.notFound, "Transaction not found (not processed yet?)")
            }
            return .json(TransactionView(transaction: transaction))
        }
        router.add(.GET, "/transactions") { request in
            var filter = TransactionFilter()
            if let user = request.query["user_id"] {
                guard let id = Int64(user) else { throw HTTPError(.badRequest, "user_id must be an integer") }
                filter.userID = id
            }
            if let status = request.query["status"] {
                guard let value = TransactionStatus(rawValue: status) else {
                    throw HTTPError(.badRequest, "status must be completed or rejected")
                }
                filter.status = value
            }
            let limit = try Self.limit(request.query["limit"])
            let transactions = try await ledger.transactions(matching: filter, limit: limit)
            return .json(["transactions": transactions.map { TransactionView(transaction: $0) }])
        }
        router.add(.GET, "/pagos/status") { _ in
            let counters = worker.counters.snapshot
            let connected = worker.isConnected
            let depth = connected ? await worker.queueDepth() : nil
            return .json(
                StatusView(
                    status: connected ? "ok" : "degraded",
                    broker: connected ? "connected" : "disconnected",
                    processed: handler.processed.load(ordering: .relaxed),
                    rejected: handler.rejected.load(ordering: .relaxed),
                    inFlight: counters.inFlight,
                    retried: counters.retried,
                    deadLettered: counters.deadLettered,
                    queueDepth: depth
                )
            )
        }
        return router
    }

    static func limit(_ text: String?) throws(HTTPError) -> Int {
        guard let text else { return 50 }
        guard let value = Int(text), value > 0 else { throw HTTPError(.badRequest, "limit must be a positive integer") }
        return min(value, 1000)
    }
}
