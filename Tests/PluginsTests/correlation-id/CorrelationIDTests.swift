import Gateway
import GatewayTestSupport
import NIOHTTP1
import Testing

@testable import Plugins

/// Kong's correlation-id: config defaults and validation, then through a real gateway.
@Suite struct CorrelationIDTests {
    @Test func kongDefaults() {
        let config = CorrelationIDConfig()
        #expect(config.headerName == "Kong-Request-ID")
        #expect(config.generator == .uuidCounter)
        #expect(config.echoDownstream == false)
    }

    @Test func rejectsBadConfig() {
        let yaml = """
            _format_version: "3.0"
            plugins:
              - name: correlation-id
                config:
                  header_name: "Bad Header"
                  generator: uuid#count
            """
        let loaded = GatewayLoader.load(
            contents: yaml, file: "g.yaml", environment: [:], registry: BuiltinPlugins.registry, logger: .init(label: "t")
        )
        let lines = loaded.diagnostics.sorted.map(\.description)
        #expect(lines.contains("g.yaml:5:20: plugins[0].config.header_name: invalid header name \"Bad Header\""))
        #expect(lines.contains { $0.hasPrefix("g.yaml:6:18: plugins[0].config.generator:") && $0.contains("uuid#counter") })
    }

    static func config(generator: String, echo: Bool) -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
        services:
          - url: http://{{UPSTREAM}}
            routes:
              - paths: [/]
                strip_path: false
        plugins:
          - name: correlation-id
            config: {header_name: X-Correlation-ID, generator: "\(generator)", echo_downstream: \(echo)}
        """
    }

    @Test(arguments: ["uuid", "uuid#counter", "tracker"])
    func generatesAndForwardsAnID(generator: String) async throws {
        try await withGateway(Self.config(generator: generator, echo: true), registry: BuiltinPlugins.registry) { gateway, _ in
            let first = try await gateway.request(.GET, "/echo")
            let second = try await gateway.request(.GET, "/echo")
            let sent = try #require(try (first.json()["headers"] as? [String: String])?["x-correlation-id"])
            let sentAgain = try #require(try (second.json()["headers"] as? [String: String])?["x-correlation-id"])
            #expect(first.headers.first(name: "X-Correlation-ID") == sent)
            #expect(sent != sentAgain)
            switch generator {
            case "uuid": #expect(sent.count == 36)
            case "uuid#counter": #expect(sent.contains("#") && sent.split(separator: "#").first == sentAgain.split(separator: "#").first)
            default: #expect(sent.hasPrefix("127.0.0.1-"))
            }
        }
    }

    @Test func keepsTheClientsIDAndEchoesOnlyWhenAsked() async throws {
        try await withGateway(Self.config(generator: "uuid", echo: false), registry: BuiltinPlugins.registry) { gateway, _ in
            let response = try await gateway.request(.GET, "/echo", headers: [("X-Correlation-ID", "client-given")])
            #expect(try (response.json()["headers"] as? [String: String])?["x-correlation-id"] == "client-given")
            #expect(response.headers.first(name: "X-Correlation-ID") == nil)
        }
    }

    @Test func echoesOnUpstreamErrorsToo() async throws {
        try await withGateway(Self.config(generator: "uuid", echo: true), registry: BuiltinPlugins.registry) { gateway, _ in
            let response = try await gateway.request(.GET, "/status/503")
            #expect(response.status == 503)
            #expect(response.headers.first(name: "X-Correlation-ID")?.count == 36)
        }
    }
}
