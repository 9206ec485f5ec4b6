import NIOPosix

/// The MariaDB backend's connections: ``MariaDBPoolState`` decides, this actor carries its decisions
/// out. Opening, pinging and closing connections block, so they run on the backend's thread pool,
/// outside the actor.
actor MariaDBConnectionPool {
    private var state: MariaDBPoolState<MariaDBConnection, ContinuousClock.Instant>
    private var waiting:
        [Int: CheckedContinuation<MariaDBPoolState<MariaDBConnection, ContinuousClock.Instant>.Grant, any Error>] = [:]
    private var nextWaiter = 0
    private var onDrained: CheckedContinuation<Void, Never>?
    private let threads: NIOThreadPool
    private let connect: @Sendable () throws -> MariaDBConnection

    init(maximum: Int, checkAfter: Duration, threads: NIOThreadPool, connect: @escaping @Sendable () throws -> MariaDBConnection)
    {
        self.state = MariaDBPoolState(maximum: maximum, checkAfter: checkAfter)
        self.threads = threads
        self.connect = connect
    }

    /// Runs `body` with a connection; a connection that broke meanwhile (or was left inside a
    /// transaction) is closed instead of going back to the pool.
    nonisolated func withConnection<R>(_ body: (MariaDBConnection) async throws -> R) async throws -> R {
        let connection = try await lease()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Refuses new callers, fails the waiting ones, waits for leased connections and closes them all.
    func close() async {
        let (idle, failed, drained) = state.close()
        for id in failed { waiting.removeValue(forKey: id)?.resume(throwing: LedgerError.unavailable("the ledger is closed")) }
        await closeOnThreads(idle)
        if !drained {
            await withCheckedContinuation { onDrained = $0 }
        }
    }

    // MARK: Leasing

    private nonisolated func lease() async throws -> MariaDBConnection {
        // Each round either returns or drops a broken idle connection, so this ends: after the idle ones
        // run out, the pool opens new ones (whose failure is thrown).
        while true {
            switch try await acquire() {
            case .connection(let connection):
                return connection
            case .check(let connection):
                let alive = try await threads.runIfActive { connection.ping() }
                if alive { return connection }
                await release(connection)
            case .open:
                do {
                    let connect = self.connect
                    return try await threads.runIfActive { try connect() }
                } catch {
                    await openFailed()
                    throw error
                }
            }
        }
    }

    private enum Lease {
        case connection(MariaDBConnection)
        case check(MariaDBConnection)
        case open
    }

    private func acquire() async throws -> Lease {
        nextWaiter += 1
        let id = nextWaiter
        switch state.acquire(waiter: id, now: .now) {
        case .use(let connection, let check):
            return check ? .check(connection) : .connection(connection)
        case .open:
            return .open
        case .fail:
            throw LedgerError.unavailable("the ledger is closed")
        case .wait:
            let grant = try await withCheckedThrowingContinuation { waiting[id] = $0 }
            switch grant {
            case .connection(let connection): return .connection(connection)
            case .open: return .open
            }
        }
    }

    private func release(_ connection: MariaDBConnection) async {
        let healthy = !connection.isBroken && !connection.isInTransaction
        await run(state.release(connection, healthy: healthy, now: .now))
    }

    private func openFailed() async {
        await run(state.openFailed())
    }

    private func run(_ effects: [MariaDBPoolState<MariaDBConnection, ContinuousClock.Instant>.Effect]) async {
        var closing: [MariaDBConnection] = []
        var drained = false
        for effect in effects {
            switch effect {
            case .close(let connection):
                closing.append(connection)
            case .grant(let id, let grant):
                waiting.removeValue(forKey: id)?.resume(returning: grant)
            case .drained:
                drained = true
            }
        }
        await closeOnThreads(closing)
        if drained {
            onDrained?.resume()
            onDrained = nil
        }
    }

    private func closeOnThreads(_ connections: [MariaDBConnection]) async {
        guard !connections.isEmpty else { return }
        // A pool whose threads already stopped closes inline (mysql_close of a dead socket returns at once).
        do {
            try await threads.runIfActive { for connection in connections { connection.close() } }
        } catch {
            for connection in connections { connection.close() }
        }
    }
}
