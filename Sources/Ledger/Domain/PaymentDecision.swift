/// The pure rule behind a payment: given the job and the locked balances, what to record.
/// No I/O; the store runs it between locking the rows and writing the outcome.
///
/// Checks, in order: the amount (`invalid_amount`), who may pay (`forbidden`: the authenticated user is
/// not the payer, or the payer pays themselves), the accounts (`unknown_user`), the funds
/// (`insufficient_funds`). `forbidden` comes before `unknown_user` so that a caller cannot probe which
/// accounts exist.
public enum PaymentDecision: Sendable, Hashable {
    /// Move the money: the payer's and the payee's balances afterwards.
    case complete(payerBalance: Int64, payeeBalance: Int64?)
    /// Record the job as rejected; nothing moves.
    case reject(RejectionReason)

    /// An account as read under lock.
    public struct Account: Sendable, Hashable {
        public var id: Int64
        public var balance: Int64

        public init(id: Int64, balance: Int64) {
            self.id = id
            self.balance = balance
        }
    }

    /// Decides a job. `payer` and `payee` are the accounts found (nil when missing).
    public static func decide(_ request: PaymentRequest, payer: Account?, payee: Account?) -> PaymentDecision {
        guard request.amount > 0, request.amount <= LedgerLimits.maximumAmount else { return .reject(.invalidAmount) }
        if let authenticated = request.authenticatedUserID {
            let trimmed = authenticated.trimmingSpaces
            guard Int64(trimmed) == request.payerID else { return .reject(.forbidden) }
        }
        if request.payeeID == request.payerID { return .reject(.forbidden) }
        guard let payer, payer.id == request.payerID else { return .reject(.unknownUser) }
        var payeeBalance: Int64?
        if let payeeID = request.payeeID {
            guard let payee, payee.id == payeeID else { return .reject(.unknownUser) }
            let (credited, overflow) = payee.balance.addingReportingOverflow(request.amount)
            guard !overflow else { return .reject(.invalidAmount) }
            payeeBalance = credited
        }
        guard payer.balance >= request.amount else { return .reject(.insufficientFunds) }
        return .complete(payerBalance: payer.balance - request.amount, payeeBalance: payeeBalance)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (header values).
    fileprivate var trimmingSpaces: Substring {
        var text = self[...]
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
