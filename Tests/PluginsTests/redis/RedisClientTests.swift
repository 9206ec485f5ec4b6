import GatewayTestSupport
import NIOCore
import NIOPosix
import Testing

@testable import Plugins

/// The client against a real redis-server started for the test.
@Suite(.enabled(if: TestRedis.isAvailable, "redis-server is not installed"))
struct RedisClientTests {
    /// A generous default timeout: connecting on a loaded machine must not fail tests about something else.
    static func config(_ redis: TestRedis, timeout: Int = 10_000) -> RedisConfig {
        var config = RedisConfig()
        config.host = "127.0.0.1"
        config.port = redis.port
        config.timeout = timeout
        return config
    }

    @Test func commandsAndScriptsRoundTripPipelined() async throws {
        try await withRedis { redis in
            let client = try RedisClient(configuration: Self.config(redis))
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            #expect(try await client.send(RedisCommand("PING"), on: loop).get() == .simpleString("PONG"))
            // Many commands at once share the loop's connections, answers in order.
            let futures = (0..<100).map { _ in client.send(RedisCommand("INCR", "n"), on: loop) }
            var values: [Int] = []
            for future in futures { values.append(try await future.get().int ?? -1) }
            #expect(Set(values) == Set(1...100))
            let script = RedisCommand.eval("return {KEYS[1], ARGV[1], 7}", keys: ["k"], arguments: ["v"])
            #expect(
                try await client.send(script, on: loop).get()
                    == .array([.bulkString(ByteBuffer(string: "k")), .bulkString(ByteBuffer(string: "v")), .integer(7)])
            )
            await #expect(throws: RedisError.server("ERR unknown command 'NOPE', with args beginning with: ")) {
                _ = try await client.send(RedisCommand("NOPE"), on: loop).get()
            }
            await client.shutdown()
        }
    }

    @Test func authenticatesAndSelectsTheDatabase() async throws {
        try await withRedis(arguments: ["--requirepass", "s3cret"]) { redis in
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            var config = Self.config(redis)
            config.password = "s3cret"
            config.database = 3
            let client = try RedisClient(configuration: config)
            _ = try await client.send(RedisCommand("SET", "where", "db3"), on: loop).get()
            let check = try await client.send(RedisCommand("EVAL", "return redis.call('GET', 'where')", "0"), on: loop).get()
            #expect(check.string == "db3")
            #expect(try await redis.command("AUTH", "s3cret").hasPrefix("+OK"))
            await client.shutdown()

            var wrong = config
            wrong.password = "nope"
            let refused = try RedisClient(configuration: wrong)
            await #expect(throws: RedisError.self) { _ = try await refused.send(RedisCommand("PING"), on: loop).get() }
            #expect(refused.failures == 1)
            await refused.shutdown()
        }
    }

    @Test func aDownServerFailsFastThenRecovers() async throws {
        try await withRedis { redis in
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let client = try RedisClient(configuration: Self.config(redis))
            #expect(try await client.send(RedisCommand("PING"), on: loop).get() == .simpleString("PONG"))
            await redis.stopProcess()
            let failed = await #expect(throws: RedisError.self) {
                _ = try await client.send(RedisCommand("PING"), on: loop).get()
            }
            #expect(failed != nil)
            try await redis.restart()
            let recovered = await eventually(timeout: .seconds(10)) {
                (try? await client.send(RedisCommand("PING"), on: loop).get()) == .simpleString("PONG")
            }
            #expect(recovered)
            await client.shutdown()
        }
    }

    @Test func aSilentServerTimesOut() async throws {
        try await withRedis(arguments: ["--enable-debug-command", "yes"]) { redis in
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            // One timeout bounds connect and command (Kong's `timeout`), far shorter than the DEBUG
            // SLEEP that blocks the server. The pooled connection is made first (retried: on a loaded
            // machine a connect may itself take longer than the timeout), so that what times out is
            // the command.
            let client = try RedisClient(configuration: Self.config(redis, timeout: 1000))
            let connected = await eventually(timeout: .seconds(30)) {
                (try? await client.send(RedisCommand("PING"), on: loop).get()) == .simpleString("PONG")
            }
            try #require(connected)
            let slow = client.send(RedisCommand("DEBUG", "SLEEP", "4"), on: loop)
            await #expect(throws: RedisError.timeout) { _ = try await slow.get() }
            await client.shutdown()
        }
    }
}
