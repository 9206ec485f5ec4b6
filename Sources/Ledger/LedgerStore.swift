import Foundation

/// The ledger database behind the four GestorPagos services (DESIGN §8): users and balances, payments
/// recorded at most once per job id, the outbox of payment events, notifications, and the queries the
/// reports need. Money is integer cents everywhere.
///
/// One implementation, ``SQLLedgerStore``, runs the same SQL on SQLite, PostgreSQL and MySQL/MariaDB. Every method is safe to call concurrently, from several processes
/// sharing the database as well: writes are database transactions, and a payment never overdraws.
public protocol LedgerStore: Sendable {
    // MARK: Users

    /// Registers a user with a zero balance. Throws ``LedgerError/usernameTaken(_:)`` when the username
    /// exists, ``LedgerError/invalidArgument(_:)`` when a field is empty or too long.
    func createUser(_ user: NewUser) async throws -> LedgerUser
    /// The user with this id, or `nil`.
    func user(id: Int64) async throws -> LedgerUser?
    /// The user with this username, or `nil`.
    func user(username: String) async throws -> LedgerUser?
    /// The user with this username and their password hash, for the login check; `nil` when unknown.
    func credentials(username: String) async throws -> UserCredentials?
    /// Users in id order, after `afterID` (a cursor), at most `limit` (capped at ``LedgerLimits/maximumPageSize``).
    func users(after afterID: Int64?, limit: Int) async throws -> [LedgerUser]
    /// Adds `amount` cents to a user's balance and records the deposit; returns the updated user.
    /// Throws ``LedgerError/invalidAmount(_:)`` or ``LedgerError/unknownUser(_:)``.
    func deposit(userID: Int64, amount: Int64) async throws -> LedgerUser

    // MARK: Payments

    /// Applies a payment job in one database transaction: validates it (``PaymentDecision``), debits the
    /// payer and credits the payee when it completes, records the transaction under the job id with its
    /// status and reason, and writes the `payment.completed` / `payment.rejected` outbox event — all or
    /// nothing. A job id already recorded returns the recorded outcome with `isDuplicate` and changes
    /// nothing. Throws only when the database fails (the worker then retries the job).
    func applyPayment(_ request: PaymentRequest) async throws -> PaymentOutcome
    /// The transaction recorded under this job id, or `nil` (not processed yet).
    func transaction(id: String) async throws -> LedgerTransaction?
    /// Transactions matching `filter`, newest first, at most `limit` (capped at ``LedgerLimits/maximumPageSize``).
    func transactions(matching filter: TransactionFilter, limit: Int) async throws -> [LedgerTransaction]

    // MARK: Reports

    /// Per-user and total sums over transactions created in `[from, to)` (see ``ReportSummary``).
    func summary(from: Date?, to: Date?) async throws -> ReportSummary
    /// Every transaction matching `filter`, oldest first, fetched page by page as the sequence is iterated
    /// (no connection is held between pages): the export of any number of rows in bounded memory.
    func transactionPages(matching filter: TransactionFilter, pageSize: Int) -> TransactionPages

    // MARK: Outbox

    /// Unpublished events in outbox order, at most `limit`.
    func unpublishedEvents(limit: Int) async throws -> [OutboxEvent]
    /// Marks events published (after the broker confirmed them). Unknown or already published ids are ignored.
    func markPublished(_ ids: [Int64]) async throws

    // MARK: Notifications

    /// Stores a notification unless one exists for its event id (at most once per event).
    func recordNotification(_ notification: NewNotification) async throws -> NotificationInsert
    /// A user's notifications, newest first, at most `limit` (capped at ``LedgerLimits/maximumPageSize``).
    func notifications(userID: Int64, limit: Int) async throws -> [LedgerNotification]

    // MARK: Checks

    /// The sums behind the conservation of money, read in one consistent snapshot.
    func totals() async throws -> LedgerTotals

    /// Closes the connections. Calls after this fail.
    func close() async throws
}
