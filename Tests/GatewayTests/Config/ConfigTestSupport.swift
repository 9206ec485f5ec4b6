import Foundation
import Gateway

/// Helpers shared by the configuration tests.
enum ConfigTestSupport {
    /// The plugin names the loader tests treat as known.
    static let pluginNames: Set<String> = [
        "jwt", "key-auth", "acl", "rate-limiting", "request-size-limiting", "ip-restriction", "cors",
        "correlation-id", "request-transformer", "response-transformer", "prometheus", "file-log", "http-log",
        "idempotency",
    ]

    /// `Tests/GatewayTests/Fixtures/config`.
    static let fixturesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("config")

    /// Loads `yaml` as `test.yaml`.
    static func load(
        _ yaml: String,
        environment: [String: String] = [:],
        file: String = "test.yaml"
    )
        -> ConfigLoadResult
    {
        ConfigLoader.load(contents: yaml, file: file, environment: environment, knownPluginNames: pluginNames)
    }

    /// The printed diagnostics, one string per report, in file order.
    static func lines(_ result: ConfigLoadResult) -> [String] {
        result.diagnostics.sorted.map(\.description)
    }

    /// The contents of a fixture file.
    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixturesDirectory.appendingPathComponent(name), encoding: .utf8)
    }
}
