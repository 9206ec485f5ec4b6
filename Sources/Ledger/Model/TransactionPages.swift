/// The transactions of an export, one page per element, oldest first. Each page is fetched when the
/// iterator asks for it (keyset pagination on ``LedgerTransaction/sequence``), so a slow reader holds no
/// database connection and memory stays bounded by the page size. Iterating again starts over.
public struct TransactionPages: AsyncSequence, Sendable {
    public typealias Element = [LedgerTransaction]

    /// Fetches up to `limit` transactions with a sequence greater than `after`, in sequence order.
    public typealias FetchPage = @Sendable (_ after: Int64, _ limit: Int) async throws -> [LedgerTransaction]

    let pageSize: Int
    let fetch: FetchPage

    /// Pages of `pageSize` rows (at least 1) read through `fetch`.
    public init(pageSize: Int, fetch: @escaping FetchPage) {
        self.pageSize = Swift.max(1, pageSize)
        self.fetch = fetch
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(pageSize: pageSize, fetch: fetch)
    }

    public struct Iterator: AsyncIteratorProtocol, Sendable {
        let pageSize: Int
        let fetch: FetchPage
        var cursor: Int64 = Int64.min
        var finished = false

        public mutating func next() async throws -> [LedgerTransaction]? {
            guard !finished else { return nil }
            let page = try await fetch(cursor, pageSize)
            if page.count < pageSize { finished = true }
            guard let last = page.last else { return nil }
            cursor = last.sequence
            return page
        }
    }
}
