import Dispatch
import Foundation
import Gateway
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Appends lines to one file from a serial queue of its own, so that the event loops never wait on
/// the disk. Opened as Kong does (`O_CREAT|O_APPEND|O_WRONLY`, mode 0644): kept open, or opened and
/// closed for every line when `reopen` is set (a rotated file is then followed). A file that cannot
/// be opened or written is reported in the log and the line dropped; requests never fail for it.
final class FileLogWriter: PluginSharedResource, @unchecked Sendable {
    let path: String
    let reopen: Bool
    private let logger: Logger
    private let queue: DispatchQueue
    /// The open descriptor (-1: closed). Touched only on `queue`.
    private var descriptor: Int32 = -1

    init(path: String, reopen: Bool, logger: Logger) {
        self.path = path
        self.reopen = reopen
        self.logger = logger
        self.queue = DispatchQueue(label: "pasarela.file-log")
    }

    /// Queues `line` to be appended.
    func append(_ line: ByteBuffer) {
        queue.async { self.write(line) }
    }

    /// Waits until every queued line is written (tests, shutdown).
    func drain() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async { done.resume() }
        }
    }

    func shutdown() async {
        await drain()
        queue.sync {
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
        }
    }

    private func write(_ line: ByteBuffer) {
        if descriptor < 0 {
            descriptor = open(path, O_CREAT | O_APPEND | O_WRONLY | O_CLOEXEC, 0o644)
            if descriptor < 0 {
                logger.error("[file-log] failed to open the file", metadata: ["path": "\(path)", "error": "\(String(cString: strerror(errno)))"])
                return
            }
        }
        let failed = line.withUnsafeReadableBytes { bytes -> Int32? in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failed {
            logger.error("[file-log] failed to write to the file", metadata: ["path": "\(path)", "error": "\(String(cString: strerror(failed)))"])
        }
        if reopen || failed != nil {
            close(descriptor)
            descriptor = -1
        }
    }
}
