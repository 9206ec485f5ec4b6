import Foundation
import ProcessTestSupport

/// One of the package's executables run as a child process, its output captured to a file.
final class ExecutableProcess: Sendable {
    let child: ChildProcess
    /// Where its output goes; deleted with this object.
    private let logPath: String

    /// The directory holding the built products (the test bundle sits beside them).
    static var productsDirectory: URL {
        let fromArguments = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: fromArguments.appendingPathComponent("pasarela").path) {
            return fromArguments
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug")
    }

    init(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("pasarela-e2e-\(UUID().uuidString).log").path
        child = try ChildProcess(
            Self.productsDirectory.appendingPathComponent(name).path,
            arguments,
            environment: ChildProcess.environment(adding: environment),
            outputPath: logPath
        )
        self.logPath = logPath
    }

    deinit {
        try? FileManager.default.removeItem(atPath: logPath)
    }

    var output: String { child.output }

    func signal(_ signal: Int32) { child.send(signal) }

    /// Waits for the process to exit (up to `timeout`, then it is killed) and returns its status.
    func wait(timeout: Duration = .seconds(20)) async -> Int32 {
        await child.wait(timeout: timeout)
    }

    /// Runs to completion and returns the exit code and output.
    static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> (Int32, String) {
        let process = try ExecutableProcess(name, arguments, environment: environment)
        let status = await process.wait()
        return (status, process.output)
    }
}
