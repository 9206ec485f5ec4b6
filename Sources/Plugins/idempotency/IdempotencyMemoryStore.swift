import Gateway
import NIOCore
import Synchronization

/// The in-process store: claims and completed responses with their expiry, bounded in memory.
///
/// Everything happens under one lock with no I/O inside. Entries are swept when they expire (at
/// most once a second). The total size of stored responses is capped (``memoryLimit``): when a new
/// response would exceed it, it is not stored and its key is released, so a repeat runs again (and
/// a warning is logged) rather than the process growing without bound.
public final class IdempotencyMemoryStore: Sendable {
    /// Bytes of stored responses held at most.
    public let memoryLimit: Int

    enum Entry {
        case inFlight(fingerprint: String, token: String, expiresAt: Int64)
        case done(fingerprint: String, record: IdempotencyRecord, expiresAt: Int64)

        var expiresAt: Int64 {
            switch self {
            case .inFlight(_, _, let expiresAt), .done(_, _, let expiresAt): return expiresAt
            }
        }
    }

    struct State {
        var entries: [String: Entry] = [:]
        var storedBytes = 0
        var nextSweep: Int64 = 0

        mutating func sweep(now: Int64) {
            guard now >= nextSweep else { return }
            nextSweep = now + 1000
            entries = entries.filter { _, entry in
                if entry.expiresAt > now { return true }
                if case .done(_, let record, _) = entry { storedBytes -= record.size }
                return false
            }
        }

        mutating func remove(_ key: String) {
            if case .done(_, let record, _) = entries.removeValue(forKey: key) { storedBytes -= record.size }
        }
    }

    private let state = Mutex(State())

    /// A store holding at most `memoryLimit` bytes of responses (default 64 MiB).
    public init(memoryLimit: Int = 64 * 1024 * 1024) {
        self.memoryLimit = memoryLimit
    }

    /// Claims `key` for a request with `fingerprint` at `now` (Unix ms); a claim lives `lockTTL` ms.
    public func claim(_ key: String, fingerprint: String, token: String, lockTTL: Int64, now: Int64) -> IdempotencyClaim {
        state.withLock { state in
            state.sweep(now: now)
            if let entry = state.entries[key], entry.expiresAt > now {
                switch entry {
                case .inFlight(let stored, _, _):
                    return stored == fingerprint ? .inFlight : .mismatch
                case .done(let stored, let record, _):
                    return stored == fingerprint ? .replay(record) : .mismatch
                }
            }
            state.remove(key)
            state.entries[key] = .inFlight(fingerprint: fingerprint, token: token, expiresAt: now + lockTTL)
            return .claimed(token: token)
        }
    }

    /// Stores the response of the claim `token` holds, kept `ttl` ms; false when the claim is gone or
    /// the memory limit would be exceeded (the key is then released).
    @discardableResult
    public func complete(_ key: String, token: String, record: IdempotencyRecord, ttl: Int64, now: Int64) -> Bool {
        state.withLock { state in
            guard case .inFlight(let fingerprint, let holder, _) = state.entries[key], holder == token else { return false }
            guard state.storedBytes + record.size <= memoryLimit else {
                state.entries[key] = nil
                return false
            }
            state.entries[key] = .done(fingerprint: fingerprint, record: record, expiresAt: now + ttl)
            state.storedBytes += record.size
            return true
        }
    }

    /// Gives up the claim `token` holds (the request failed or its response is not stored).
    public func release(_ key: String, token: String) {
        state.withLock { state in
            guard case .inFlight(_, let holder, _) = state.entries[key], holder == token else { return }
            state.entries[key] = nil
        }
    }

    /// Entries and stored bytes (tests).
    var usage: (entries: Int, bytes: Int) { state.withLock { ($0.entries.count, $0.storedBytes) } }
}
