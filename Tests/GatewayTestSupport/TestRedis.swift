import Foundation
import NIOCore
import NIOPosix
import ProcessTestSupport

/// A private `redis-server` for a test: its own loopback port and temp directory, no persistence,
/// stopped by its PID. `scripts/test.sh` makes sure the server is installed on CI (and exports
/// `PASARELA_TEST_REDIS_SERVER`); elsewhere tests that need it are skipped when it is missing.
public final class TestRedis: @unchecked Sendable {
    /// The `redis-server` binary: `$PASARELA_TEST_REDIS_SERVER`, else Debian's `/usr/bin/redis-server`.
    public static var serverPath: String? {
        if let configured = ProcessInfo.processInfo.environment["PASARELA_TEST_REDIS_SERVER"], !configured.isEmpty {
            return configured
        }
        for candidate in ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }

    /// Whether a server can be started here.
    public static var isAvailable: Bool { serverPath != nil }

    /// The port it listens on (127.0.0.1).
    public let port: Int
    /// Its working directory (deleted by ``stop()``).
    public let directory: URL
    /// Extra `redis-server` arguments, e.g. `["--requirepass", "secret"]`.
    public let extraArguments: [String]
    private var process: ChildProcess?

    private init(port: Int, directory: URL, extraArguments: [String]) {
        self.port = port
        self.directory = directory
        self.extraArguments = extraArguments
    }

    /// Starts a server (on `port`, or a free one) and waits until it answers `PING`.
    public static func start(port: Int? = nil, arguments: [String] = []) async throws -> TestRedis {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pasarela-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let chosenPort: Int
        if let port { chosenPort = port } else { chosenPort = try await unusedPort() }
        let redis = TestRedis(port: chosenPort, directory: directory, extraArguments: arguments)
        do {
            try await redis.launch()
        } catch {
            try? FileManager.default.removeItem(at: directory)  // no server, nothing to keep
            throw error
        }
        return redis
    }

    private func launch() async throws {
        guard let path = Self.serverPath else { throw TestRedisError.notInstalled }
        let logFile = directory.appendingPathComponent("redis.log").path
        let arguments =
            [
                "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path, "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no", "--logfile", logFile,
            ] + extraArguments
        // Errors in the arguments go to standard error, before the log file is opened.
        let process = try ChildProcess(path, arguments, outputPath: directory.appendingPathComponent("redis.out").path)
        self.process = process
        // Generous: at the start of a parallel run on two cores, a test task may wait seconds for a
        // thread; a server that exits is reported at once.
        let up = await eventually(timeout: .seconds(60)) { await self.ping() || !process.isRunning }
        if !process.isRunning || !up {
            let exitStatus = process.exitStatus
            await stopProcess()
            let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            throw TestRedisError.didNotStart(port: port, exitStatus: exitStatus, output: String((process.output + log).suffix(2_000)))
        }
    }

    /// Whether the server answers `PING` now.
    public func ping() async -> Bool {
        let reply = (try? await command("PING")) ?? ""
        // With `--requirepass`, an unauthenticated PING is refused, but the server is up.
        return reply.hasPrefix("+PONG") || reply.hasPrefix("-NOAUTH")
    }

    /// Sends one command (arguments as text) and returns the raw RESP reply, e.g. `":3\r\n"`.
    public func command(_ arguments: String...) async throws -> String {
        var request = "*\(arguments.count)\r\n"
        for argument in arguments { request += "$\(argument.utf8.count)\r\n\(argument)\r\n" }
        request += "*1\r\n$4\r\nQUIT\r\n"
        let reply = try await Self.exchange(port: port, request)
        let bytes = Array(reply.utf8)
        let quitReply = Array("+OK\r\n".utf8)
        guard bytes.count >= quitReply.count, Array(bytes.suffix(quitReply.count)) == quitReply else { return reply }
        return String(decoding: bytes.dropLast(quitReply.count), as: UTF8.self)
    }

    /// The integer a command answers (e.g. `DBSIZE`), or nil.
    public func integer(_ arguments: String...) async throws -> Int? {
        var request = "*\(arguments.count)\r\n"
        for argument in arguments { request += "$\(argument.utf8.count)\r\n\(argument)\r\n" }
        request += "*1\r\n$4\r\nQUIT\r\n"
        let bytes = Array(try await Self.exchange(port: port, request).utf8)
        guard bytes.first == UInt8(ascii: ":"), let end = bytes.firstIndex(of: 13) else { return nil }
        return Int(String(decoding: bytes[1..<end], as: UTF8.self))
    }

    /// Stops the server (SIGKILL to its PID; it keeps nothing on disk), keeping the directory, so
    /// that ``restart()`` brings it back on the same port.
    public func stopProcess() async {
        guard let process else { return }
        self.process = nil
        process.send(SIGKILL)
        await process.wait(timeout: .seconds(5))
    }

    /// Starts the server again on the same port (after ``stopProcess()``).
    public func restart() async throws {
        await stopProcess()
        try await launch()
    }

    /// Stops the server and deletes its directory.
    public func stop() async {
        await stopProcess()
        try? FileManager.default.removeItem(at: directory)
    }
}

extension TestRedis {
    /// Sends raw bytes and collects the reply until the server closes (the request ends with QUIT)
    /// or ten seconds pass (generous: a congested parallel test run can delay a reply by seconds).
    static func exchange(port: Int, _ request: String) async throws -> String {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let done = loop.makePromise(of: String.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ReplyCollector(done: done))
                    }
                }
                .connect(host: "127.0.0.1", port: port)
                .get()
        } catch {
            done.fail(error)
            throw error
        }
        let timer = loop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
        try await channel.writeAndFlush(ByteBuffer(string: request))
        let reply = try await done.futureResult.get()
        timer.cancel()
        return reply
    }

    final class ReplyCollector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let done: EventLoopPromise<String>
        var received = ""

        init(done: EventLoopPromise<String>) {
            self.done = done
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += String(buffer: unwrapInboundIn(data))
        }

        func channelInactive(context: ChannelHandlerContext) {
            done.succeed(received)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}

/// Why a test Redis could not run.
public enum TestRedisError: Error {
    case notInstalled
    /// It exited (with `exitStatus`) or never answered; `output` ends with what it printed and logged.
    case didNotStart(port: Int, exitStatus: Int32?, output: String)
}

/// Runs `body` with a fresh private Redis, stopped afterwards also when `body` throws.
public func withRedis<T>(arguments: [String] = [], _ body: (TestRedis) async throws -> T) async throws -> T {
    let redis = try await TestRedis.start(arguments: arguments)
    do {
        let result = try await body(redis)
        await redis.stop()
        return result
    } catch {
        await redis.stop()
        throw error
    }
}
