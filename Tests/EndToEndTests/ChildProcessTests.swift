import Foundation
import GatewayTestSupport
import ProcessTestSupport
import Testing

/// The tests' own child processes (``ChildProcess``, used instead of Foundation's `Process`).
struct ChildProcessTests {
    @Test func statusAndBothOutputStreams() async throws {
        let (status, output) = try await ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(status == 3)
        #expect(output == "out\nerr\n")
    }

    @Test func aSignalledChildReportsTheSignal() async throws {
        let child = try ChildProcess("/bin/sleep", ["30"])
        #expect(child.isRunning)
        child.send(SIGTERM)
        #expect(await child.wait(timeout: .seconds(10)) == 128 + SIGTERM)
        #expect(!child.isRunning)
    }

    @Test func aChildStillRunningAtTheTimeoutIsKilled() async throws {
        let child = try ChildProcess("/bin/sleep", ["30"])
        #expect(await child.wait(timeout: .milliseconds(100)) == 128 + SIGKILL)
    }

    /// No descriptor of the test process (sockets, files) leaks into a server it starts, and no
    /// signal is blocked there.
    @Test func inheritsOnlyTheStandardDescriptorsAndNoBlockedSignal() async throws {
        let inheritable = open("/dev/zero", O_RDONLY)  // no O_CLOEXEC: only closefrom keeps it out
        try #require(inheritable >= 0)
        defer { close(inheritable) }
        let (status, output) = try await ChildProcess.run(
            "/bin/sh",
            ["-c", "ls /proc/self/fd | wc -l; grep SigBlk /proc/self/status"]
        )
        #expect(status == 0)
        let lines = output.split(separator: "\n")
        // 0, 1, 2 and the descriptor `ls` reads /proc/self/fd through.
        #expect(lines.first.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } == 4)
        #expect(lines.last?.hasSuffix("0000000000000000") == true, "\(output)")
    }

    @Test func environmentIsReplacedWhenGiven() async throws {
        let (_, output) = try await ChildProcess.run("/usr/bin/env", [], environment: ["ONLY": "this"])
        #expect(output == "ONLY=this\n")
    }

    @Test func aMissingExecutableIsAnError() {
        #expect(throws: SpawnError.self) { _ = try ChildProcess("/nonexistent/binary", []) }
    }

    /// A test Redis that cannot start says why, at once.
    @Test(.enabled(if: TestRedis.isAvailable, "redis-server is not installed"))
    func aRedisThatCannotStartReportsItsOutput() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await TestRedis.start(arguments: ["--no-such-directive", "x"])
            Issue.record("redis-server started with an unknown directive")
        } catch TestRedisError.didNotStart(_, let exitStatus, let output) {
            #expect(exitStatus == 1)
            #expect(output.contains("no-such-directive"), "\(output)")
        }
        #expect(start.duration(to: clock.now) < .seconds(30))
    }
}
