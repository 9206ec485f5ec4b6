import Gateway
import Testing

@testable import Plugins

/// The schema: Kong's fields, defaults and messages (spec/03-plugins/23-rate-limiting/01-schema_spec.lua).
@Suite struct RateLimitingConfigTests {
    static func diagnostics(_ config: String, file: String = "g.yaml") -> [String] {
        let yaml = """
            _format_version: "3.0"
            plugins:
              - name: rate-limiting
                config:
            \(config.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            """
        let loaded = GatewayLoader.load(
            contents: yaml,
            file: file,
            environment: [:],
            registry: BuiltinPlugins.registry,
            logger: .init(label: "t")
        )
        return loaded.diagnostics.sorted.map(\.description)
    }

    @Test func kongDefaults() {
        let config = RateLimitingConfig()
        #expect(config.limitBy == .consumer)
        #expect(config.policy == .local)
        #expect(config.faultTolerant)
        #expect(!config.hideClientHeaders)
        #expect(config.errorCode == 429)
        #expect(config.errorMessage == "API rate limit exceeded")
        #expect(config.syncRate == -1)
        #expect(config.redis.port == 6379 && config.redis.timeout == 2000 && config.redis.database == 0)
        #expect(!config.redis.ssl)
    }

    @Test func validConfigsLoadClean() {
        #expect(Self.diagnostics("second: 10").isEmpty)
        #expect(Self.diagnostics("{second: 10, minute: 20, hour: 30, day: 40, month: 50, year: 60}").isEmpty)
        #expect(Self.diagnostics("{second: 10, limit_by: header, header_name: X-App-Version}").isEmpty)
        #expect(Self.diagnostics("{second: 10, limit_by: path, path: /request}").isEmpty)
        #expect(Self.diagnostics("{minute: 5, policy: redis, redis: {host: 127.0.0.1, port: 6380, database: 2}}").isEmpty)
    }

    @Test func atLeastOneLimit() {
        #expect(
            Self.diagnostics("{limit_by: ip}") == [
                "g.yaml:5:7: plugins[0].config: at least one of these fields must be non-empty: 'config.second', "
                    + "'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'"
            ]
        )
    }

    @Test(arguments: [
        ("{second: 20, hour: 10}", "The limit for hour(10.0) cannot be lower than the limit for second(20.0)"),
        (
            "{second: 10, minute: 20, hour: 30, day: 40, month: 60, year: 50}",
            "The limit for year(50.0) cannot be lower than the limit for month(60.0)"
        ),
    ])
    func longerWindowsMayNotAllowLess(config: String, message: String) {
        #expect(Self.diagnostics(config) == ["g.yaml:5:7: plugins[0].config: \(message)"])
    }

    @Test func fieldErrors() {
        let lines = Self.diagnostics(
            """
            second: 0
            limit_by: header
            policy: cluster
            error_code: 1000
            """
        )
        #expect(lines.contains("g.yaml:5:15: plugins[0].config.second: value must be greater than 0"))
        #expect(lines.contains("g.yaml:5:7: plugins[0].config.header_name: required field missing"))
        #expect(lines.contains { $0.hasPrefix("g.yaml:7:15: plugins[0].config.policy: expected one of \"local\", \"redis\"") })
        #expect(lines.contains("g.yaml:8:19: plugins[0].config.error_code: value should be between 100 and 599"))
        #expect(
            Self.diagnostics("{second: 1, limit_by: path}").contains("g.yaml:5:7: plugins[0].config.path: required field missing")
        )
        #expect(
            Self.diagnostics("{second: 1, limit_by: path, path: nope}").contains(
                "g.yaml:5:41: plugins[0].config.path: should start with: /"
            )
        )
        #expect(
            Self.diagnostics("{second: 1, sync_rate: 10}").contains(
                "g.yaml:5:7: plugins[0].config: sync_rate can only be used with the redis policy"
            )
        )
    }

    @Test func redisHostIsRequired() {
        #expect(
            Self.diagnostics("{second: 1, policy: redis}").contains(
                "g.yaml:5:7: plugins[0].config.redis.host: required field missing"
            )
        )
        let lines = Self.diagnostics("{second: 1, policy: redis, redis: {port: 6379, ssl: true}}")
        #expect(lines == ["g.yaml:5:41: plugins[0].config.redis.host: required field missing"])
    }

    @Test func legacyFlatRedisFieldsAreAcceptedWithKongsDeprecationWarning() throws {
        let lines = Self.diagnostics(
            """
            second: 10
            policy: redis
            redis_host: 127.0.0.1
            redis_port: 6380
            redis_database: 3
            redis_timeout: 1100
            redis_password: secret
            redis_username: user
            """
        )
        #expect(lines.allSatisfy { $0.contains("warning") || $0.contains("deprecated") })
        #expect(
            lines.contains { $0.contains("rate-limiting: config.redis_host is deprecated, please use config.redis.host instead") }
        )
        #expect(lines.count == 6)
        let yaml = """
            _format_version: "3.0"
            plugins:
              - name: rate-limiting
                config: {second: 10, policy: redis, redis: {host: ignored, port: 1}, redis_host: 127.0.0.1, redis_port: 6380}
            """
        let loaded = GatewayLoader.load(
            contents: yaml,
            file: "g.yaml",
            environment: [:],
            registry: BuiltinPlugins.registry,
            logger: .init(label: "t")
        )
        let compiled = try loaded.result.get()
        let plugin = try #require(compiled.globalChain.entries.first?.defaultInstance as? RateLimitingPlugin)
        #expect(plugin.config.redis.host == "127.0.0.1")
        #expect(plugin.config.redis.port == 6380)
        #expect(plugin.config.redis.database == 0)
    }

    @Test func redisLegacyHostMissingIsReportedAtTheLegacyName() {
        #expect(
            Self.diagnostics("{second: 1, policy: redis, redis_port: 6380}").contains(
                "g.yaml:5:7: plugins[0].config.redis_host: required field missing"
            )
        )
    }
}
