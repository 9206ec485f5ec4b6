import Foundation
import Ledger
import Testing

@Suite("LedgerTimestamp")
struct LedgerTimestampTests {
    @Test(
        arguments: [
            (0, "1970-01-01T00:00:00.000Z"),
            (1_767_225_600_250, "2026-01-01T00:00:00.250Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (-86_400_000 * 365, "1969-01-01T00:00:00.000Z"),
        ] as [(Int64, String)]
    )
    func formatsRFC3339(milliseconds: Int64, expected: String) {
        #expect(LedgerTimestamp.rfc3339(milliseconds: milliseconds) == expected)
    }

    @Test(arguments: [0, 1, 999, 1_767_225_600_001, 1_767_225_600_999, 4_102_444_799_999] as [Int64])
    func roundTripsThroughDate(milliseconds: Int64) {
        #expect(LedgerTimestamp.milliseconds(LedgerTimestamp.date(milliseconds: milliseconds)) == milliseconds)
    }

    @Test func paymentEventJSONShowsTheAPIShape() throws {
        let transaction = LedgerTransaction(
            id: "job-1",
            sequence: 7,
            userID: 1,
            toUserID: nil,
            amount: 1250,
            status: .rejected,
            reason: .insufficientFunds,
            description: "coffee",
            createdAt: LedgerTimestamp.date(milliseconds: 1_767_225_600_250)
        )
        let json = try PaymentEvent(for: transaction).jsonString()
        #expect(
            json == #"{"event":"payment.rejected","event_id":"job-1:payment.rejected","transaction":{"#
                + #""amount":1250,"created_at":"2026-01-01T00:00:00.250Z","id":"job-1","reason":"insufficient_funds","#
                + #""status":"rejected","to_user_id":null,"user_id":1}}"#
        )
        let decoded = try JSONDecoder().decode(PaymentEvent.self, from: Data(json.utf8))
        #expect(decoded == PaymentEvent(for: transaction))
    }
}
