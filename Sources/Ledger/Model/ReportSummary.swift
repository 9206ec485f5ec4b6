import Foundation

/// `GET /reports/summary`: per user and in total, over transactions created in `[from, to)`.
///
/// Per user, `paid` sums the completed payments the user made, `received` the completed payments made to
/// them; `count` counts the completed payments they made and `rejected` their rejected ones. The totals
/// are the sums over users: `paid` is every completed amount, `count` every completed payment, `rejected`
/// every rejected one. Users appear when they paid, received or were rejected in the window, by id.
public struct ReportSummary: Sendable, Hashable, Codable {
    /// One user's line.
    public struct UserLine: Sendable, Hashable, Codable {
        public var userID: Int64
        /// Cents paid in completed payments.
        public var paid: Int64
        /// Cents received in completed payments.
        public var received: Int64
        /// Completed payments made.
        public var count: Int64
        /// Rejected payments requested.
        public var rejected: Int64

        public init(userID: Int64, paid: Int64 = 0, received: Int64 = 0, count: Int64 = 0, rejected: Int64 = 0) {
            self.userID = userID
            self.paid = paid
            self.received = received
            self.count = count
            self.rejected = rejected
        }
    }

    /// The sums over every user.
    public struct Totals: Sendable, Hashable, Codable {
        public var paid: Int64
        public var count: Int64
        public var rejected: Int64

        public init(paid: Int64 = 0, count: Int64 = 0, rejected: Int64 = 0) {
            self.paid = paid
            self.count = count
            self.rejected = rejected
        }
    }

    /// The window's start (inclusive), if any.
    public var from: Date?
    /// The window's end (exclusive), if any.
    public var to: Date?
    /// Ordered by user id.
    public var users: [UserLine]
    public var totals: Totals

    public init(from: Date?, to: Date?, users: [UserLine], totals: Totals) {
        self.from = from
        self.to = to
        self.users = users
        self.totals = totals
    }
}
