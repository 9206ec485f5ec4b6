/// Runs `body`, failing with ``LedgerError/unavailable(_:)`` if it takes longer than `timeout`.
/// `body` is cancelled then; it must react to cancellation (database connects and queries do).
func withDeadline<R: Sendable>(
    _ timeout: Duration,
    what: String,
    _ body: @escaping @Sendable () async throws -> R
) async throws -> R {
    try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else {
            throw LedgerError.unavailable("\(what) took longer than \(timeout)")
        }
        return result
    }
}
