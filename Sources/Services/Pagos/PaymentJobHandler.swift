import Foundation
import Ledger
import Logging
import Synchronization

/// The payments worker's handler: a `payment.requested` job becomes one ledger transaction, recorded
/// under the job id, so a job delivered twice changes nothing the second time (DESIGN §8).
public final class PaymentJobHandler: JobHandler {
    let ledger: any LedgerStore
    let logger: Logger
    let outbox: OutboxRelay?
    /// Jobs this process applied (duplicates not counted).
    public let processed = Atomic<Int>(0)
    /// Of those, the rejected ones.
    public let rejected = Atomic<Int>(0)

    public init(ledger: any LedgerStore, outbox: OutboxRelay?, logger: Logger) {
        self.ledger = ledger
        self.outbox = outbox
        self.logger = logger
    }

    /// The body of `POST /users/{id}/pay`.
    struct PaymentBody: Decodable {
        var amount: Int64?
        var toUserID: Int64?
        var description: String?

        enum CodingKeys: String, CodingKey {
            case amount
            case toUserID = "to_user_id"
            case description
        }
    }

    public func handle(_ job: Job) async throws -> JobOutcome {
        let request = Self.paymentRequest(for: job)
        // A database failure throws: the job is retried, and the ledger's transaction means nothing
        // half-done is left behind.
        let outcome = try await ledger.applyPayment(request)
        if !outcome.isDuplicate {
            processed.add(1, ordering: .relaxed)
            if outcome.transaction.status == .rejected { rejected.add(1, ordering: .relaxed) }
        }
        logger.info(
            "payment \(outcome.transaction.status.rawValue)",
            metadata: [
                "job": "\(job.id)", "user": "\(request.payerID)", "amount": "\(request.amount)",
                "reason": "\(outcome.transaction.reason?.rawValue ?? "-")", "duplicate": "\(outcome.isDuplicate)",
            ]
        )
        outbox?.wake()
        return .done
    }

    /// What the ledger is asked to apply. A body that does not say a whole number of cents is an
    /// invalid amount (recorded as rejected, so the client can see why); a payer that is not a number
    /// is an unknown user.
    static func paymentRequest(for job: Job) -> PaymentRequest {
        let body = (try? job.decodeBody(PaymentBody.self)) ?? PaymentBody()
        let payer = job.request.params["user_id"].flatMap { Int64($0) } ?? 0
        return PaymentRequest(
            jobID: job.id,
            payerID: payer,
            payeeID: body.toUserID,
            amount: body.amount ?? 0,
            description: body.description.map { String($0.prefix(500)) },
            authenticatedUserID: job.header("x-user-id")
        )
    }
}
