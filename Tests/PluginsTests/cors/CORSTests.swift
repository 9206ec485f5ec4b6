import Gateway
import GatewayTestSupport
import NIOHTTP1
import Testing

@testable import Plugins

/// Kong's cors through a real gateway: preflights answered by the gateway (or sent upstream), headers
/// on every other response, and authentication plugins skipped on preflights.
@Suite struct CORSTests {
    @Test func kongDefaults() {
        let config = CORSConfig()
        #expect(config.origins == nil)
        #expect(config.methods == CORSConfig.Method.allCases)
        #expect(!config.credentials && !config.privateNetwork && !config.preflightContinue)
        #expect(config.allowOriginAbsent)
        #expect(config.maxAge == nil)
        #expect(CORSPlugin.priority == 2000)
        #expect(CORSPlugin.luaNumber(23) == "23")
        #expect(CORSPlugin.luaNumber(1.5) == "1.5")
    }

    @Test func rejectsBadConfig() {
        let lines = PluginFixture.diagnostics(
            PluginFixture.globalPlugin("cors", config: "origins: [\"*\", \"(unclosed\"]\nmethods: [GET, FETCH]\nmax_age: soon")
        )
        #expect(lines.contains { $0.hasSuffix("plugins[0].config.origins[1]: '(unclosed' is not a valid regex") })
        #expect(lines.contains { $0.contains("plugins[0].config.methods[1]:") && $0.contains("\"CONNECT\"") })
        #expect(lines.contains { $0.contains("plugins[0].config.max_age:") })
    }

    static let yaml = PluginFixture.yaml(
        [
            .init(host: "defaults.test", plugins: ["name: cors"]),
            .init(
                host: "options.test",
                plugins: [
                    """
                    name: cors
                    config:
                      origins: [example.test]
                      methods: [GET]
                      headers: [origin, type, accepts]
                      exposed_headers: [x-auth-token]
                      max_age: 23
                      credentials: true
                    """
                ]
            ),
            .init(
                host: "list.test",
                plugins: [
                    "name: cors\nconfig: {origins: [\"http://my-site.test\", \"(.*[.])?other\\\\.test\"], exposed_headers: [x-auth-token]}"
                ]
            ),
            .init(host: "star-credentials.test", plugins: ["name: cors\nconfig: {origins: [\"*\"], credentials: true}"]),
            .init(host: "continue.test", plugins: ["name: cors\nconfig: {preflight_continue: true}"]),
            .init(host: "private.test", plugins: ["name: cors\nconfig: {private_network: true}"]),
            .init(host: "absent.test", plugins: ["name: cors\nconfig: {origins: [foo.bar], allow_origin_absent: false}"]),
            .init(
                host: "refused.test",
                plugins: ["name: cors\nconfig: {origins: [example.test]}", "name: ip-restriction\nconfig: {deny: [127.0.0.1]}"]
            ),
        ],
        globalPlugins: []
    )

    static func preflight(_ host: String, origin: String = "http://example.test", extra: [(String, String)] = [])
        -> [(String, String)]
    {
        [("Host", host), ("Origin", origin), ("Access-Control-Request-Method", "GET")] + extra
    }

    @Test func answersPreflightsWithKongsDefaults() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, upstream in
            let response = try await gateway.request(.OPTIONS, "/echo", headers: Self.preflight("defaults.test"))
            #expect(response.status == 200)
            #expect(response.headers.first(name: "Content-Length") == "0")
            #expect(response.headers.first(name: "Access-Control-Allow-Methods") == CORSPlugin.allMethods)
            #expect(response.headers.first(name: "Access-Control-Allow-Origin") == "*")
            for absent in [
                "Access-Control-Allow-Headers", "Access-Control-Expose-Headers", "Access-Control-Allow-Credentials",
                "Access-Control-Max-Age", "Vary",
            ] {
                #expect(response.headers.first(name: absent) == nil, "\(absent)")
            }
            #expect(upstream.accepts == 0)
            let echoed = try await gateway.request(
                .OPTIONS,
                "/echo",
                headers: Self.preflight("defaults.test", extra: [("Access-Control-Request-Headers", "origin,accepts")])
            )
            #expect(echoed.headers.first(name: "Access-Control-Allow-Headers") == "origin,accepts")
        }
    }

    @Test func answersPreflightsWithTheConfiguredOptions() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let response = try await gateway.request(.OPTIONS, "/echo", headers: Self.preflight("options.test"))
            #expect(response.status == 200)
            #expect(response.headers.first(name: "Access-Control-Allow-Methods") == "GET")
            #expect(response.headers.first(name: "Access-Control-Allow-Origin") == "example.test")
            #expect(response.headers.first(name: "Access-Control-Max-Age") == "23")
            #expect(response.headers.first(name: "Access-Control-Allow-Credentials") == "true")
            #expect(response.headers.first(name: "Access-Control-Allow-Headers") == "origin,type,accepts")
            #expect(response.headers["Vary"] == ["Origin"])
            #expect(response.headers.first(name: "Access-Control-Expose-Headers") == nil)

            let star = try await gateway.request(
                .OPTIONS,
                "/echo",
                headers: Self.preflight("star-credentials.test", origin: "origin5.test")
            )
            #expect(star.headers.first(name: "Access-Control-Allow-Origin") == "origin5.test")
            #expect(star.headers.first(name: "Access-Control-Allow-Credentials") == "true")
            #expect(star.headers["Vary"] == ["Origin"])

            let asked = try await gateway.request(
                .OPTIONS,
                "/echo",
                headers: Self.preflight("private.test", extra: [("Access-Control-Request-Private-Network", "true")])
            )
            #expect(asked.headers.first(name: "Access-Control-Allow-Private-Network") == "true")
            let notAsked = try await gateway.request(.OPTIONS, "/echo", headers: Self.preflight("private.test"))
            #expect(notAsked.headers.first(name: "Access-Control-Allow-Private-Network") == nil)
        }
    }

    @Test func preflightContinueSendsThePreflightUpstream() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let response = try await gateway.request(.OPTIONS, "/echo", headers: Self.preflight("continue.test"))
            #expect(response.status == 200)
            #expect(try response.json()["method"] as? String == "OPTIONS")
            #expect(response.headers.first(name: "Access-Control-Allow-Origin") == nil)
            #expect(response.headers.first(name: "Access-Control-Allow-Methods") == nil)
        }
    }

    @Test func addsHeadersToOtherResponses() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let plain = try await gateway.request(
                .GET,
                "/echo",
                headers: [("Host", "defaults.test"), ("Origin", "http://a.test")]
            )
            #expect(plain.headers.first(name: "Access-Control-Allow-Origin") == "*")
            #expect(plain.headers.first(name: "Access-Control-Allow-Methods") == nil)
            #expect(plain.headers.first(name: "Vary") == nil)

            let nonPreflight = try await gateway.request(
                .OPTIONS,
                "/echo",
                headers: [("Host", "defaults.test"), ("Origin", "http://a.test")]
            )
            #expect(try nonPreflight.json()["method"] as? String == "OPTIONS")
            #expect(nonPreflight.headers.first(name: "Access-Control-Allow-Origin") == "*")

            let configured = try await gateway.request(
                .GET,
                "/echo",
                headers: [("Host", "options.test"), ("Origin", "http://x.test")]
            )
            #expect(configured.headers.first(name: "Access-Control-Allow-Origin") == "example.test")
            #expect(configured.headers.first(name: "Access-Control-Expose-Headers") == "x-auth-token")
            #expect(configured.headers.first(name: "Access-Control-Allow-Credentials") == "true")
            #expect(configured.headers["Vary"] == ["Origin"])
            #expect(configured.headers.first(name: "Access-Control-Allow-Methods") == nil)

            let vary = try await gateway.request(
                .GET,
                "/response-headers?Vary=Accept-Encoding&Access-Control-Allow-Origin=*",
                headers: [("Host", "list.test"), ("Origin", "http://my-site.test:80")]
            )
            #expect(vary.headers["Vary"] == ["Accept-Encoding", "Origin"])
            #expect(vary.headers.first(name: "Access-Control-Allow-Origin") == "http://my-site.test")

            let regex = try await gateway.request(
                .GET,
                "/echo",
                headers: [("Host", "list.test"), ("Origin", "https://a.other.test")]
            )
            #expect(regex.headers.first(name: "Access-Control-Allow-Origin") == "https://a.other.test")

            let refused = try await gateway.request(
                .GET,
                "/response-headers?Access-Control-Allow-Origin=*",
                headers: [("Host", "list.test"), ("Origin", "http://evil.test")]
            )
            #expect(refused.headers.first(name: "Access-Control-Allow-Origin") == nil)
            #expect(refused.headers["Vary"] == ["Origin"])
        }
    }

    @Test func originAbsent() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let skipped = try await gateway.request(.GET, "/echo", headers: [("Host", "absent.test")])
            #expect(skipped.headers.first(name: "Access-Control-Allow-Origin") == nil)
            let empty = try await gateway.request(.GET, "/echo", headers: [("Host", "absent.test"), ("Origin", "")])
            #expect(empty.headers.first(name: "Access-Control-Allow-Origin") == nil)
            let defaulted = try await gateway.request(.GET, "/echo", headers: [("Host", "options.test")])
            #expect(defaulted.headers.first(name: "Access-Control-Allow-Origin") == "example.test")
            #expect(defaulted.headers.first(name: "Access-Control-Allow-Credentials") == "true")
        }
    }

    @Test func addsHeadersToTheGatewaysOwnErrors() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let refused = try await gateway.request(
                .GET,
                "/echo",
                headers: [("Host", "refused.test"), ("Origin", "http://x.test")]
            )
            #expect(refused.status == 403)
            #expect(refused.headers.first(name: "Access-Control-Allow-Origin") == "example.test")
            #expect(refused.headers["Vary"] == ["Origin"])
        }
        let global = PluginFixture.yaml([.init(host: "elsewhere.test", plugins: [])], globalPlugins: ["name: cors"])
        try await withGateway(global, registry: BuiltinPlugins.registry) { gateway, _ in
            let missing = try await gateway.request(.GET, "/nowhere", headers: [("Origin", "http://x.test")])
            #expect(missing.status == 404)
            #expect(missing.headers.first(name: "Access-Control-Allow-Origin") == "*")
        }
    }

    // MARK: run_on_preflight

    static let probeYAML = PluginFixture.yaml([
        .init(host: "skipped.test", plugins: ["name: cors\nconfig: {preflight_continue: true}", "name: auth-probe"]),
        .init(
            host: "checked.test",
            plugins: ["name: cors\nconfig: {preflight_continue: true}", "name: auth-probe\nconfig: {run_on_preflight: true}"]
        ),
        .init(host: "answered.test", plugins: ["name: cors", "name: auth-probe\nconfig: {run_on_preflight: true}"]),
    ])

    static let probeRegistry = PluginRegistry([.of(CORSPlugin.self), .of(AuthProbePlugin.self)])

    @Test func authenticationSkipsPreflightsUnlessAskedTo() async throws {
        try await withGateway(Self.probeYAML, registry: Self.probeRegistry) { gateway, _ in
            let skipped = try await gateway.request(.OPTIONS, "/echo", headers: Self.preflight("skipped.test"))
            #expect(skipped.status == 200)
            #expect(try skipped.json()["method"] as? String == "OPTIONS")
            let get = try await gateway.request(.GET, "/echo", headers: [("Host", "skipped.test"), ("Origin", "http://a.test")])
            #expect(get.status == 401)
            #expect(get.headers.first(name: "Access-Control-Allow-Origin") == "*")

            let checked = try await gateway.request(.OPTIONS, "/echo", headers: Self.preflight("checked.test"))
            #expect(checked.status == 401)

            // The gateway answers the preflight itself (cors runs first): the probe never sees it.
            let answered = try await gateway.request(.OPTIONS, "/echo", headers: Self.preflight("answered.test"))
            #expect(answered.status == 200)
            #expect(answered.headers.first(name: "Access-Control-Allow-Methods") == CORSPlugin.allMethods)
        }
    }
}

/// A stand-in for an authentication plugin: refuses every request it runs on, and runs on
/// preflights only when `run_on_preflight` is true (Kong's default for jwt and key-auth is true;
/// false here, so that the skip is what is tested).
struct AuthProbePlugin: ConfigurablePlugin {
    struct Configuration: PluginConfiguration {
        var runOnPreflight = false

        enum CodingKeys: String, CodingKey { case runOnPreflight = "run_on_preflight" }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            runOnPreflight = try container.decodeIfPresent(Bool.self, forKey: .runOnPreflight) ?? false
        }
    }

    static let name = "auth-probe"
    static let priority = 1000
    let runsOnPreflight: Bool

    init(configuration: Configuration, context: PluginBuildContext) {
        runsOnPreflight = configuration.runOnPreflight
    }

    func access(_ context: RequestContext) -> AccessStep {
        .respond(.message(.unauthorized, "Unauthorized"))
    }
}
