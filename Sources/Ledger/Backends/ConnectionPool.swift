/// A fixed set of connections handed out one caller at a time, waiters served in arrival order.
/// The SQLite backend keeps two: its single writer (so in-process writers queue here instead of spinning
/// on SQLite's file lock while holding a thread) and its readers.
actor ConnectionPool<Connection: Sendable> {
    private var idle: [Connection]
    private var waiters: [CheckedContinuation<Connection, any Error>] = []
    private var leased = 0
    private var closed = false
    private var onDrained: CheckedContinuation<Void, Never>?

    init(_ connections: [Connection]) {
        idle = connections
    }

    /// Waits for a free connection; fails once the pool is closed.
    func acquire() async throws -> Connection {
        guard !closed else { throw LedgerError.unavailable("the ledger is closed") }
        if let connection = idle.popLast() {
            leased += 1
            return connection
        }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    /// Hands a connection back (to the next waiter, if any).
    func release(_ connection: Connection) {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
            return
        }
        leased -= 1
        idle.append(connection)
        if closed && leased == 0 {
            onDrained?.resume()
            onDrained = nil
        }
    }

    /// Runs `body` with a connection, returning it afterwards.
    nonisolated func withConnection<R>(_ body: (Connection) async throws -> R) async throws -> R {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Refuses new callers, fails the waiting ones, waits until every leased connection is back and
    /// returns all of them (for the caller to close).
    func drain() async -> [Connection] {
        closed = true
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter.resume(throwing: LedgerError.unavailable("the ledger is closed")) }
        if leased > 0 {
            await withCheckedContinuation { onDrained = $0 }
        }
        let connections = idle
        idle.removeAll()
        return connections
    }
}
