import Gateway
import GatewayTestSupport

@testable import Plugins

/// Gateway configurations for plugin tests: one service (the test upstream) and one route per
/// scenario, keyed by host, each with its own plugins.
enum PluginFixture {
    /// A route matched by `host` (prefix `/`, no strip) with these plugin blocks (YAML, one per item,
    /// each starting with `name:`).
    struct Route {
        var host: String
        var plugins: [String]
        var extra: String = ""
        var paths: String = "[/]"
    }

    /// The whole file; `settings` lines go under `pasarela:`.
    static func yaml(_ routes: [Route], settings: [String] = [], globalPlugins: [String] = []) -> String {
        var text = """
            _format_version: "3.0"
            pasarela:
              proxy_listen: 127.0.0.1:0
              admin_listen: "off"

            """
        for line in settings { text += "  \(line)\n" }
        text += """
            services:
              - name: upstream
                url: http://{{UPSTREAM}}
                routes:

            """
        for (index, route) in routes.enumerated() {
            text +=
                "      - name: r\(index)\n        hosts: [\(route.host)]\n        paths: \(route.paths)\n        strip_path: false\n"
            if !route.extra.isEmpty { text += "        \(route.extra)\n" }
            if !route.plugins.isEmpty {
                text += "        plugins:\n"
                for plugin in route.plugins { text += indent(plugin, by: 10) }
            }
        }
        if !globalPlugins.isEmpty {
            text += "plugins:\n"
            for plugin in globalPlugins { text += indent(plugin, by: 2) }
        }
        return text
    }

    private static func indent(_ block: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        var out = ""
        for (index, line) in block.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            out += (index == 0 ? pad + "- " : pad + "  ") + line + "\n"
        }
        return out
    }

    /// The diagnostics of loading `yaml` with the built-in plugins, one `FILE:LINE:COL: PATH: message` each.
    static func diagnostics(_ yaml: String) -> [String] {
        GatewayLoader.load(
            contents: yaml,
            file: "g.yaml",
            environment: [:],
            registry: BuiltinPlugins.registry,
            logger: .init(label: "t")
        )
        .diagnostics.sorted.map(\.description)
    }

    /// A file with one global plugin configured by `config` (YAML flow or block lines under `config:`).
    static func globalPlugin(_ name: String, config: String) -> String {
        """
        _format_version: "3.0"
        plugins:
          - name: \(name)
            config:
        \(config.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
        """
    }
}

extension PluginBuildContext {
    /// A context for building plugins directly in unit tests (no consumers, empty document).
    static let forTests = PluginBuildContext(
        config: GatewayConfig(document: ConfigDocument(file: "t.yaml", root: ConfigNode(.null, mark: .start))),
        consumers: [],
        logger: .init(label: "t")
    )
}
