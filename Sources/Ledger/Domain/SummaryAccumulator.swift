import Foundation

/// Folds the report's two grouped queries (by payer, by payee) into a ``ReportSummary``. Pure.
struct SummaryAccumulator {
    private var lines: [Int64: ReportSummary.UserLine] = [:]

    /// A payer's group: cents paid in completed payments, completed and rejected counts.
    mutating func addPayer(_ userID: Int64, paid: Int64, completed: Int64, rejected: Int64) {
        lines[userID, default: .init(userID: userID)].paid += paid
        lines[userID, default: .init(userID: userID)].count += completed
        lines[userID, default: .init(userID: userID)].rejected += rejected
    }

    /// A payee's group: cents received in completed payments.
    mutating func addPayee(_ userID: Int64, received: Int64) {
        lines[userID, default: .init(userID: userID)].received += received
    }

    /// The lines by user id, and totals summed over them.
    func summary(from: Date?, to: Date?) -> ReportSummary {
        let users = lines.values.sorted { $0.userID < $1.userID }
        var totals = ReportSummary.Totals()
        for line in users {
            totals.paid += line.paid
            totals.count += line.count
            totals.rejected += line.rejected
        }
        return ReportSummary(from: from, to: to, users: users, totals: totals)
    }
}
