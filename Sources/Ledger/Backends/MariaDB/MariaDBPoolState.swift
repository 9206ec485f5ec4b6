/// The MariaDB backend's connection pool as a value: how many connections exist, which are idle (and
/// since when), who waits. No I/O and no clock of its own: events come in, the decision (or the effects
/// to carry out) comes back, and ``MariaDBConnectionPool`` performs them.
///
/// Connections are opened lazily, up to ``maximum``. A broken connection (the server restarted, the
/// network failed) is closed when it comes back and its place is free again: the next caller, or the
/// first waiter, opens a new one. An idle connection unused for ``checkAfter`` is pinged before it is
/// handed out, so that connections killed while idle (a server restart) are replaced before anyone
/// runs a statement on them.
struct MariaDBPoolState<Connection, Instant: InstantProtocol> where Instant.Duration == Duration {
    /// What an acquiring caller does next.
    enum Acquire {
        /// Use this idle connection; ping it first when `check`.
        case use(Connection, check: Bool)
        /// Open a new connection (a place is reserved for it); report ``openFailed()`` if that fails.
        case open
        /// Wait: the caller's id was queued and will get a ``Grant``.
        case wait
        /// The pool is closed.
        case fail
    }

    /// What a waiting caller receives.
    enum Grant {
        /// A connection just released by another caller (no check needed).
        case connection(Connection)
        /// A reserved place: open a new connection.
        case open
    }

    /// Work for the pool after a release or a failed open.
    enum Effect {
        /// Close this connection (broken, or the pool is closing).
        case close(Connection)
        /// Wake this waiter with this grant.
        case grant(waiter: Int, Grant)
        /// The pool is closed and every connection is back: ``close()`` may finish.
        case drained
    }

    let maximum: Int
    let checkAfter: Duration
    private var idle: [(connection: Connection, since: Instant)] = []
    /// Connections in existence or being opened (leased + idle + reserved places).
    private(set) var opened = 0
    private var waiters: [Int] = []
    private(set) var isClosed = false

    init(maximum: Int, checkAfter: Duration) {
        self.maximum = max(1, maximum)
        self.checkAfter = checkAfter
    }

    var idleCount: Int { idle.count }
    var waiterCount: Int { waiters.count }

    /// A caller wants a connection. Most recently used first: the least likely to be stale.
    mutating func acquire(waiter id: Int, now: Instant) -> Acquire {
        if isClosed { return .fail }
        if let last = idle.popLast() {
            return .use(last.connection, check: last.since.duration(to: now) >= checkAfter)
        }
        if opened < maximum {
            opened += 1
            return .open
        }
        waiters.append(id)
        return .wait
    }

    /// A leased connection comes back; `healthy` is false when it broke (or was left mid-transaction).
    mutating func release(_ connection: Connection, healthy: Bool, now: Instant) -> [Effect] {
        guard healthy, !isClosed else {
            opened -= 1
            return [.close(connection)] + placeFreed()
        }
        if !waiters.isEmpty {
            return [.grant(waiter: waiters.removeFirst(), .connection(connection))]
        }
        idle.append((connection, now))
        return []
    }

    /// Opening a connection failed: its reserved place is free again.
    mutating func openFailed() -> [Effect] {
        opened -= 1
        return placeFreed()
    }

    /// Refuses new callers; returns the idle connections to close and the waiters to fail, and whether
    /// every connection is already back (else ``Effect/drained`` comes with the last release).
    mutating func close() -> (close: [Connection], fail: [Int], drained: Bool) {
        isClosed = true
        let connections = idle.map(\.connection)
        idle.removeAll()
        opened -= connections.count
        let failed = waiters
        waiters.removeAll()
        return (connections, failed, opened == 0)
    }

    /// A place became free: the first waiter opens a connection in it; a closed pool may be drained.
    private mutating func placeFreed() -> [Effect] {
        if isClosed { return opened == 0 ? [.drained] : [] }
        guard !waiters.isEmpty else { return [] }
        opened += 1
        return [.grant(waiter: waiters.removeFirst(), .open)]
    }
}

extension MariaDBPoolState.Acquire: Equatable where Connection: Equatable {}
extension MariaDBPoolState.Grant: Equatable where Connection: Equatable {}
extension MariaDBPoolState.Effect: Equatable where Connection: Equatable {}
extension MariaDBPoolState.Grant: Sendable where Connection: Sendable {}
