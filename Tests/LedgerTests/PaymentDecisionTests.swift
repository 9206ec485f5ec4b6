import Ledger
import Testing

@Suite("PaymentDecision")
struct PaymentDecisionTests {
    typealias Account = PaymentDecision.Account

    static let willis = Account(id: 1, balance: 50_000)
    static let ana = Account(id: 2, balance: 70_000)

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let request: PaymentRequest
        let payer: Account?
        let payee: Account?
        let expected: PaymentDecision
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(
            name: "completes with a payee",
            request: PaymentRequest(jobID: "j", payerID: 1, payeeID: 2, amount: 1250, authenticatedUserID: "1"),
            payer: willis,
            payee: ana,
            expected: .complete(payerBalance: 48_750, payeeBalance: 71_250)
        ),
        Case(
            name: "completes an external payment",
            request: PaymentRequest(jobID: "j", payerID: 1, amount: 50_000),
            payer: willis,
            payee: nil,
            expected: .complete(payerBalance: 0, payeeBalance: nil)
        ),
        Case(
            name: "header with spaces names the payer",
            request: PaymentRequest(jobID: "j", payerID: 1, amount: 1, authenticatedUserID: " 1 "),
            payer: willis,
            payee: nil,
            expected: .complete(payerBalance: 49_999, payeeBalance: nil)
        ),
        Case(
            name: "zero amount",
            request: PaymentRequest(jobID: "j", payerID: 1, amount: 0),
            payer: willis,
            payee: nil,
            expected: .reject(.invalidAmount)
        ),
        Case(
            name: "negative amount",
            request: PaymentRequest(jobID: "j", payerID: 1, payeeID: 2, amount: -5),
            payer: willis,
            payee: ana,
            expected: .reject(.invalidAmount)
        ),
        Case(
            name: "amount above the limit",
            request: PaymentRequest(jobID: "j", payerID: 1, amount: LedgerLimits.maximumAmount + 1),
            payer: Account(id: 1, balance: Int64.max),
            payee: nil,
            expected: .reject(.invalidAmount)
        ),
        Case(
            name: "another user's account",
            request: PaymentRequest(jobID: "j", payerID: 1, payeeID: 2, amount: 100, authenticatedUserID: "2"),
            payer: willis,
            payee: ana,
            expected: .reject(.forbidden)
        ),
        Case(
            name: "non-numeric user header",
            request: PaymentRequest(jobID: "j", payerID: 1, amount: 100, authenticatedUserID: "willis"),
            payer: willis,
            payee: nil,
            expected: .reject(.forbidden)
        ),
        Case(
            name: "paying oneself",
            request: PaymentRequest(jobID: "j", payerID: 1, payeeID: 1, amount: 100),
            payer: willis,
            payee: willis,
            expected: .reject(.forbidden)
        ),
        Case(
            name: "forbidden before unknown user",
            request: PaymentRequest(jobID: "j", payerID: 9, amount: 100, authenticatedUserID: "1"),
            payer: nil,
            payee: nil,
            expected: .reject(.forbidden)
        ),
        Case(
            name: "unknown payer",
            request: PaymentRequest(jobID: "j", payerID: 9, amount: 100),
            payer: nil,
            payee: nil,
            expected: .reject(.unknownUser)
        ),
        Case(
            name: "unknown payee",
            request: PaymentRequest(jobID: "j", payerID: 1, payeeID: 9, amount: 100),
            payer: willis,
            payee: nil,
            expected: .reject(.unknownUser)
        ),
        Case(
            name: "insufficient funds",
            request: PaymentRequest(jobID: "j", payerID: 1, payeeID: 2, amount: 50_001),
            payer: willis,
            payee: ana,
            expected: .reject(.insufficientFunds)
        ),
        Case(
            name: "unknown payee before insufficient funds",
            request: PaymentRequest(jobID: "j", payerID: 1, payeeID: 9, amount: 50_001),
            payer: willis,
            payee: nil,
            expected: .reject(.unknownUser)
        ),
        Case(
            name: "payee balance would overflow",
            request: PaymentRequest(jobID: "j", payerID: 1, payeeID: 2, amount: 10),
            payer: willis,
            payee: Account(id: 2, balance: Int64.max - 5),
            expected: .reject(.invalidAmount)
        ),
    ])
    func decides(_ example: Case) {
        #expect(PaymentDecision.decide(example.request, payer: example.payer, payee: example.payee) == example.expected)
    }
}
