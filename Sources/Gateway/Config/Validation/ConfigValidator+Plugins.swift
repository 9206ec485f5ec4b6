extension ConfigValidator {
    mutating func validatePlugins() {
        var firstInScope: [PluginKey: ConfigPath] = [:]
        let known = knownPluginNames.sorted()
        for plugin in config.plugins {
            if !knownPluginNames.contains(plugin.name) {
                var message = "unknown plugin \(ConfigScalar(plugin.name).quotedForMessage)"
                if let suggestion = Suggestion.closest(to: plugin.name, among: known) {
                    message += "; did you mean \"\(suggestion)\"?"
                }
                error(message, at: plugin.location.appending("name"))
            }
            if let config = plugin.config, config.entries == nil {
                error("expected a mapping, found \(config.summary)", at: plugin.configLocation)
            }
            let key = PluginKey(name: plugin.name, instance: plugin.instanceName, scope: plugin.scope)
            if let earlier = firstInScope[key] {
                let name = ConfigScalar(plugin.name).quotedForMessage
                error(
                    "plugin \(name) is already configured for this scope at \(earlier)",
                    at: plugin.location.appending("name")
                )
            } else {
                firstInScope[key] = plugin.location
            }
        }
    }

    private struct PluginKey: Hashable {
        var name: String
        var instance: String?
        var scope: PluginScope
    }
}
