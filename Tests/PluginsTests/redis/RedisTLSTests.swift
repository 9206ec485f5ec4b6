import Gateway
import GatewayTestSupport
import NIOCore
import NIOPosix
import Testing

@testable import Plugins

/// Redis over TLS (`ssl: true`) against a real redis-server listening with ``TLSFixtures``'
/// certificate on a TLS port (its plain port only answers the harness's PING).
@Suite(.enabled(if: TestRedis.isAvailable, "redis-server is not installed"))
struct RedisTLSTests {
    /// Runs `body` with a server that also listens for TLS on the port passed to it.
    static func withTLSRedis(_ body: (TestRedis, Int) async throws -> Void) async throws {
        let tlsPort = try await unusedPort()
        let arguments = [
            "--tls-port", String(tlsPort), "--tls-cert-file", TLSFixtures.certificateFile,
            "--tls-key-file", TLSFixtures.keyFile, "--tls-ca-cert-file", TLSFixtures.caFile,
            "--tls-auth-clients", "no",
        ]
        try await withRedis(arguments: arguments) { redis in try await body(redis, tlsPort) }
    }

    static func config(port: Int, verify: Bool, serverName: String? = nil) -> RedisConfig {
        var config = RedisConfig()
        config.host = "127.0.0.1"
        config.port = port
        config.timeout = 10_000
        config.ssl = true
        config.sslVerify = verify
        config.serverName = serverName
        return config
    }

    @Test func verifiedAgainstTheTrustedCAByAddressOrByServerName() async throws {
        try await Self.withTLSRedis { _, tlsPort in
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let trusted = TrustedCertificates([TLSFixtures.caFile])
            for serverName in [nil, "localhost"] {
                let client = try RedisClient(
                    configuration: Self.config(port: tlsPort, verify: true, serverName: serverName),
                    trusted: trusted
                )
                _ = try await client.send(RedisCommand("SET", "over", "tls"), on: loop).get()
                #expect(try await client.send(RedisCommand("GET", "over"), on: loop).get().string == "tls")
                await client.shutdown()
            }
        }
    }

    @Test func anUntrustedCertificateIsRefusedWhenVerifying() async throws {
        try await Self.withTLSRedis { _, tlsPort in
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let client = try RedisClient(configuration: Self.config(port: tlsPort, verify: true), trusted: .init())
            await #expect(throws: RedisError.self) { _ = try await client.send(RedisCommand("PING"), on: loop).get() }
            #expect(client.failures == 1)
            await client.shutdown()
        }
    }

    @Test func withoutVerificationAsKongsDefault() async throws {
        try await Self.withTLSRedis { _, tlsPort in
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let client = try RedisClient(configuration: Self.config(port: tlsPort, verify: false), trusted: .init())
            #expect(try await client.send(RedisCommand("PING"), on: loop).get() == .simpleString("PONG"))
            await client.shutdown()
        }
    }

    @Test func anUnreadableCertificateFailsTheLoadWithItsPath() async throws {
        #expect(throws: InvalidConfigValue.self) {
            _ = try RedisClient(
                configuration: Self.config(port: 6379, verify: true),
                trusted: TrustedCertificates([TLSFixtures.keyFile])  // a key, not a certificate
            )
        }
    }

    /// The gateway's `lua_ssl_trusted_certificate` reaches the rate-limiting plugin's Redis client.
    @Test func rateLimitingCountsInRedisOverTLS() async throws {
        try await Self.withTLSRedis { redis, tlsPort in
            let yaml = """
                _format_version: "3.0"
                pasarela:
                  proxy_listen: 127.0.0.1:0
                  admin_listen: "off"
                  lua_ssl_trusted_certificate: \(TLSFixtures.caFile)
                services:
                  - url: http://{{UPSTREAM}}
                    routes: [{paths: [/], strip_path: false}]
                plugins:
                  - name: rate-limiting
                    config:
                      hour: 1
                      limit_by: ip
                      policy: redis
                      fault_tolerant: false
                      redis: {host: 127.0.0.1, port: \(tlsPort), ssl: true, ssl_verify: true, server_name: localhost}
                """
            try await withGateway(yaml, registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
                #expect(try await gateway.request(.GET, "/echo").status == 200)
                #expect(try await gateway.request(.GET, "/echo").status == 429)
            }
            #expect(try await redis.integer("DBSIZE") == 1)
        }
    }
}
