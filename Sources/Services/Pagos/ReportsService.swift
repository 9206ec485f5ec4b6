import Foundation
import Ledger

/// `pagos reports` (port 5003): sums per user and the export of transactions, streamed page by page.
public struct ReportsService: Sendable {
    let ledger: any LedgerStore

    public init(ledger: any LedgerStore) {
        self.ledger = ledger
    }

    struct SummaryView: Encodable {
        struct Line: Encodable {
            var userID: Int64
            var paid: Int64
            var received: Int64
            var count: Int64
            var rejected: Int64

            enum CodingKeys: String, CodingKey {
                case paid, received, count, rejected
                case userID = "user_id"
            }
        }

        var from: String?
        var to: String?
        var users: [Line]
        var totals: ReportSummary.Totals

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(users, forKey: .users)
            try container.encode(totals, forKey: .totals)
        }

        enum CodingKeys: String, CodingKey {
            case from, to, users, totals
        }
    }

    public var router: ServiceRouter {
        var router = ServiceRouter()
        router.add(.GET, "/reports/summary") { request in
            let from = try Self.date(request.query["from"], name: "from")
            let to = try Self.date(request.query["to"], name: "to", endOfDay: true)
            let summary = try await ledger.summary(from: from, to: to)
            return .json(
                SummaryView(
                    from: from.map(LedgerTimestamp.rfc3339),
                    to: to.map(LedgerTimestamp.rfc3339),
                    users: summary.users.map {
                        .init(userID: $0.userID, paid: $0.paid, received: $0.received, count: $0.count, rejected: $0.rejected)
                    },
                    totals: summary.totals
                )
            )
        }
        router.add(.GET, "/reports/transactions") { request in
            let format = request.query["format"] ?? "json"
            guard format == "csv" || format == "json" else { throw HTTPError(.badRequest, "format must be csv or json") }
            var filter = TransactionFilter()
            filter.from = try Self.date(request.query["from"], name: "from")
            filter.to = try Self.date(request.query["to"], name: "to", endOfDay: true)
            let pages = ledger.transactionPages(matching: filter, pageSize: 500)
            let stream = format == "csv" ? TransactionExport.csv(pages) : TransactionExport.json(pages)
            return ServiceResponse(
                headers: ["Content-Type": format == "csv" ? "text/csv; charset=utf-8" : "application/json"],
                body: .stream(stream)
            )
        }
        return router
    }

    /// `2026-11-23` or an RFC 3339 timestamp; a bare `to` date includes that whole day.
    static func date(_ text: String?, name: String, endOfDay: Bool = false) throws(HTTPError) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return endOfDay ? date.addingTimeInterval(86_400) : date }
        throw HTTPError(.badRequest, "\(name) must be a date (2026-11-23) or an RFC 3339 timestamp")
    }
}

/// Streams transactions as CSV or a JSON document, one page of rows per chunk.
enum TransactionExport {
    static let csvHeader = "id,user_id,to_user_id,amount,status,reason,created_at\n"

    static func csv(_ pages: TransactionPages) -> AsyncThrowingStream<[UInt8], any Error> {
        stream(pages, prefix: csvHeader, suffix: "") { transaction, _ in
            [
                field(transaction.id), String(transaction.userID), transaction.toUserID.map(String.init) ?? "",
                String(transaction.amount), transaction.status.rawValue, transaction.reason?.rawValue ?? "",
                LedgerTimestamp.rfc3339(transaction.createdAt),
            ].joined(separator: ",") + "\n"
        }
    }

    static func json(_ pages: TransactionPages) -> AsyncThrowingStream<[UInt8], any Error> {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return stream(pages, prefix: "{\"transactions\":[", suffix: "]}") { transaction, first in
            let row = (try? encoder.encode(PaymentsService.TransactionView(transaction: transaction))) ?? Data("null".utf8)
            return (first ? "" : ",") + String(decoding: row, as: UTF8.self)
        }
    }

    /// Quotes a CSV field when it needs it (RFC 4180).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Pulls one page per chunk only when the server asks for the next, so a slow client holds back
    /// the database reads instead of filling memory.
    private static func stream(
        _ pages: TransactionPages,
        prefix: String,
        suffix: String,
        row: @escaping @Sendable (LedgerTransaction, _ first: Bool) -> String
    ) -> AsyncThrowingStream<[UInt8], any Error> {
        let producer = ExportProducer(pages: pages, prefix: prefix, suffix: suffix, row: row)
        return AsyncThrowingStream(unfolding: { try await producer.next() })
    }
}

/// The state of one export: prefix, then rows page by page, then suffix.
private actor ExportProducer {
    enum Stage {
        case prefix, rows, suffix, done
    }

    var iterator: TransactionPages.Iterator
    var stage = Stage.prefix
    var first = true
    let prefix: String
    let suffix: String
    let row: @Sendable (LedgerTransaction, Bool) -> String

    init(pages: TransactionPages, prefix: String, suffix: String, row: @escaping @Sendable (LedgerTransaction, Bool) -> String) {
        iterator = pages.makeAsyncIterator()
        self.prefix = prefix
        self.suffix = suffix
        self.row = row
    }

    func next() async throws -> [UInt8]? {
        switch stage {
        case .prefix:
            stage = .rows
            return Array(prefix.utf8)
        case .rows:
            // The stream asks for one chunk at a time, so no other call runs while this one awaits.
            var pages = iterator
            let next = try await pages.next()
            iterator = pages
            guard let page = next else {
                stage = .done
                return Array(suffix.utf8)
            }
            var chunk = ""
            for transaction in page {
                chunk += row(transaction, first)
                first = false
            }
            return Array(chunk.utf8)
        case .suffix:
            stage = .done
            return Array(suffix.utf8)
        case .done:
            return nil
        }
    }
}
