import Foundation

/// Runs a prepared `Process` to its end and returns its exit status. Reaps the child itself with
/// `waitpid` (polled, never blocking a thread): Foundation's termination monitoring on Linux is not
/// reliable for a script that leaves a daemon behind (the script stayed a zombie, unreported).
public func runToCompletion(_ process: Process) async throws -> Int32 {
    try process.run()
    let pid = process.processIdentifier
    while true {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid {
            return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
        if reaped == -1 {
            // Foundation reaped it first.
            while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            return process.terminationStatus
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}
