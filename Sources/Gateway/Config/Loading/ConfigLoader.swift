import Foundation

/// Loads gateway.yaml: parse, substitute `${VAR}`s, decode, flatten, validate. Every problem
/// is collected, each with its file, line, column and path.
public enum ConfigLoader {
    /// Loads a configuration from `contents`; `file` is the name put on every report.
    ///
    /// - Parameters:
    ///   - environment: Values for `${VAR}` and `${VAR:-default}`.
    ///   - knownPluginNames: Plugin names the registry provides; others are errors.
    ///   - checkPlugin: Called for each plugin with a known name, to decode and validate its
    ///     `config:` block into the same diagnostics (see ``PluginConfigCheck``).
    public static func load(
        contents: String,
        file: String,
        environment: [String: String],
        knownPluginNames: Set<String>,
        checkPlugin: PluginConfigCheck? = nil
    ) -> ConfigLoadResult {
        var diagnostics = Diagnostics(file: file)
        guard let parsed = YAMLReader.read(contents, into: &diagnostics) else {
            return ConfigLoadResult(config: nil, diagnostics: diagnostics)
        }
        let before = diagnostics.all.count
        let root = EnvironmentSubstitution(environment: environment).apply(to: parsed, at: .root, into: &diagnostics)
        // A value whose `${VAR}` could not be replaced is reported once, not again by later checks.
        let unsubstituted = Set(diagnostics.all[before...].map(\.path))
        let substituted = diagnostics.all.count
        let document = ConfigDocument(file: file, root: root)
        diagnostics.document = document
        guard root.entries != nil else {
            diagnostics.error("expected a mapping, found \(root.summary)", at: root.mark, path: .root)
            return ConfigLoadResult(config: nil, diagnostics: diagnostics)
        }
        guard let raw = ConfigDecoder.decode(DeclarativeConfig.self, from: root, into: &diagnostics) else {
            return ConfigLoadResult(config: nil, diagnostics: diagnostics)
        }
        var flattener = ConfigFlattener(document: document, diagnostics: diagnostics)
        let config = flattener.flatten(raw)
        var validator = ConfigValidator(
            config: config,
            knownPluginNames: knownPluginNames,
            diagnostics: flattener.diagnostics
        )
        validator.validate()
        if let checkPlugin {
            for plugin in config.plugins where knownPluginNames.contains(plugin.name) {
                checkPlugin(plugin, document, &validator.diagnostics)
            }
        }
        diagnostics = validator.diagnostics.removing(at: unsubstituted, after: substituted)
        return ConfigLoadResult(config: diagnostics.hasErrors ? nil : config, diagnostics: diagnostics)
    }

    /// Loads the file at `path` (named as given in reports); the environment defaults to the
    /// process's.
    public static func load(
        path: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        knownPluginNames: Set<String>,
        checkPlugin: PluginConfigCheck? = nil
    ) -> ConfigLoadResult {
        let contents: String
        do {
            contents = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            var diagnostics = Diagnostics(file: path)
            diagnostics.error("cannot read the file: \(error.localizedDescription)", at: .start, path: .root)
            return ConfigLoadResult(config: nil, diagnostics: diagnostics)
        }
        return load(
            contents: contents,
            file: path,
            environment: environment,
            knownPluginNames: knownPluginNames,
            checkPlugin: checkPlugin
        )
    }
}
