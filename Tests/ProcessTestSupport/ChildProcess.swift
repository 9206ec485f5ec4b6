import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process for tests (a test server, a database client, one of the package's executables),
/// started with `posix_spawn`, its output sent to a file, reaped with polled `waitpid` (never
/// blocking a thread).
///
/// Not Foundation's `Process`, deliberately: on Linux its `run()` scans `/proc/self/fd` copying 256
/// bytes of each short `dirent` name, which reads past the end of the buffer and crashes the whole
/// test process when the last record ends at an unmapped page (swift-corelibs-foundation#5472, fixed
/// after Swift 6.3; seen here as `Bad pointer dereference` in `Process.run() + 6428` while the suite
/// had many sockets open). swift-subprocess would be a new dependency for these few lines of
/// `posix_spawn`.
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t
    /// Where its standard output and error go.
    public let outputPath: String
    /// Its exit status once reaped: the exit code, or 128 + the signal that ended it.
    private let reaped = Mutex<Int32?>(nil)

    /// Starts `executable` (a path) with `arguments`. `environment` replaces the test process's own
    /// when given. Standard output and error go to `outputPath` (created or truncated), `/dev/null`
    /// by default. The child inherits no other descriptor and starts with no signal blocked.
    public init(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        outputPath: String = "/dev/null"
    ) throws {
        self.outputPath = outputPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        guard let closeFrom = Self.addCloseFrom, closeFrom(&actions, 3) == 0 else {
            throw SpawnError(executable: executable, code: ENOSYS)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Test runners may block signals in their threads; a server must still stop on SIGTERM.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaultSignals, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = CStringArray([executable] + arguments)
        let environmentLines = environment.map { $0.map { "\($0.key)=\($0.value)" } }
        let envp = environmentLines.map(CStringArray.init)
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv.pointers, envp?.pointers ?? environ)
        guard result == 0 else { throw SpawnError(executable: executable, code: result) }
        pid = child
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
    /// module does not export: looked up by name.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Whether it is still running (reaps it when it has ended).
    public var isRunning: Bool { exitStatus == nil }

    /// Its exit status if it has ended: the exit code, or 128 + the signal that ended it.
    public var exitStatus: Int32? {
        reaped.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == -1, errno == ECHILD {
                // Reaped by someone else: it has ended, its status is lost.
                status = 255
                return status
            }
            guard result == pid else { return nil }
            let signal = raw & 0x7f
            status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            return status
        }
    }

    /// Sends `signal` unless it has already been reaped (its pid may belong to another process then).
    public func send(_ signal: Int32) {
        reaped.withLock { status in
            if status == nil { _ = kill(pid, signal) }
        }
    }

    /// Waits for it to end and returns its status; after `timeout`, kills it (SIGKILL) first.
    @discardableResult
    public func wait(timeout: Duration = .seconds(60)) async -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let status = exitStatus { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        send(SIGKILL)
        while true {
            if let status = exitStatus { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// What it wrote so far (when its output goes to a file).
    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Runs `executable` to its end (killed after `timeout`) and returns its status and output.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        timeout: Duration = .seconds(120)
    ) async throws -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("pasarela-child-\(UUID().uuidString).log").path
        let child = try ChildProcess(executable, arguments, environment: environment, outputPath: outputPath)
        let status = await child.wait(timeout: timeout)
        let output = child.output
        try? FileManager.default.removeItem(atPath: outputPath)
        return (status, output)
    }

    /// The test process's environment with `changes` applied, for ``init(_:_:environment:outputPath:)``.
    public static func environment(adding changes: [String: String]) -> [String: String] {
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in changes { merged[key] = value }
        return merged
    }
}

/// Why a child could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public let executable: String
    public let code: Int32
    public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
}

/// A NULL-terminated array of C strings that lives as long as this value.
private final class CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        pointers[strings.count] = nil
    }

    deinit {
        for index in 0..<count { free(pointers[index]) }
        pointers.deallocate()
    }
}
