import Dispatch
import Foundation
import Synchronization

/// Calls `onChange` when a file's modification time, size or inode changes. Editors often replace a
/// file rather than write it in place, so the path is polled once a second instead of watching a
/// descriptor that would go stale.
final class FileWatcher: Sendable {
    private let path: String
    private let stamp: Mutex<FileStamp?>
    // Dispatch sources are thread-safe but not marked Sendable; this one is only resumed and cancelled.
    private nonisolated(unsafe) let timer: any DispatchSourceTimer

    init(path: String, onChange: @escaping @Sendable () -> Void) {
        self.path = path
        self.stamp = Mutex(FileStamp(path: path))
        self.timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in
            guard let self, self.checkForChange() else { return }
            onChange()
        }
    }

    func start() { timer.resume() }

    func stop() { timer.cancel() }

    /// Records the file's current state (after a reload that read it), so it does not count as a change.
    func acknowledge() {
        let now = FileStamp(path: path)
        stamp.withLock { $0 = now }
    }

    private func checkForChange() -> Bool {
        let now = FileStamp(path: path)
        return stamp.withLock { stamp -> Bool in
            guard let now, now != stamp else { return false }
            stamp = now
            return true
        }
    }
}

/// What identifies a version of the configuration file (modification time, size, inode).
struct FileStamp: Equatable, Sendable {
    let modified: Date
    let size: Int
    let inode: Int

    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        modified = attributes[.modificationDate] as? Date ?? .distantPast
        size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        inode = (attributes[.systemFileNumber] as? NSNumber)?.intValue ?? 0
    }
}
