import Foundation
import Synchronization

/// A clock tests set by hand; each reading advances it by one millisecond, so rows written in a row get
/// distinct, increasing times.
final class TestClock: Sendable {
    private let milliseconds: Mutex<Int64>

    /// Starts at 2026-01-01T00:00:00Z.
    init(start: Int64 = 1_767_225_600_000) {
        milliseconds = Mutex(start)
    }

    func now() -> Date {
        let value = milliseconds.withLock { value in
            defer { value += 1 }
            return value
        }
        return Date(timeIntervalSince1970: Double(value) / 1000)
    }

    /// Sets the next reading.
    func set(_ date: Date) {
        milliseconds.withLock { $0 = Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    }
}
