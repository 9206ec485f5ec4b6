import Foundation

/// One of the package's executables run as a child process, its output captured to a file.
final class ExecutableProcess: @unchecked Sendable {
    let process = Process()
    let logURL: URL

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
        process.executableURL = Self.productsDirectory.appendingPathComponent(name)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("pasarela-e2e-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logURL)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var output: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to exit (up to `timeout`), killing it if it does not.
    func wait(timeout: Duration = .seconds(20)) async -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning, clock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    /// Runs to completion and returns the exit code and output.
    static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> (Int32, String) {
        let child = try ExecutableProcess(name, arguments, environment: environment)
        let status = await child.wait()
        return (status, child.output)
    }
}
