import Foundation
import Logging
import NIOCore

/// Loads `gateway.yaml` and compiles it into a ``CompiledConfig``: the declarative model is
/// validated by ``ConfigLoader`` (plugin `config:` blocks through the registry, so their errors are
/// reported with every other one), then services, upstreams, consumers, plugin instances and the
/// route table are built.
public enum GatewayLoader {
    /// The result of loading: the compiled configuration, or failure; `diagnostics` holds every
    /// error and warning either way.
    public struct Loaded: Sendable {
        /// The compiled configuration, or a failure when any error was found.
        public let result: Result<CompiledConfig, ConfigLoadFailure>
        /// Every error and warning.
        public let diagnostics: Diagnostics
    }

    /// Builds the destinations of non-HTTP services (e.g. AMQP); nil rejects such services.
    public typealias DispatcherFactory = @Sendable (ServiceConfig, inout Diagnostics) -> (any RequestDispatcher)?

    /// Loads and compiles the file at `path`.
    public static func load(
        path: String,
        environment: [String: String],
        registry: PluginRegistry,
        logger: Logger,
        dispatchers: DispatcherFactory? = nil,
        shared: PluginSharedState = PluginSharedState()
    ) -> Loaded {
        let loaded = ConfigLoader.load(
            path: path,
            environment: environment,
            knownPluginNames: registry.names,
            checkPlugin: pluginCheck(registry)
        )
        return compile(
            loaded,
            registry: registry,
            logger: logger,
            dispatchers: dispatchers,
            shared: shared,
            file: path
        )
    }

    /// Loads and compiles configuration text (tests, admin uploads).
    public static func load(
        contents: String,
        file: String,
        environment: [String: String],
        registry: PluginRegistry,
        logger: Logger,
        dispatchers: DispatcherFactory? = nil,
        shared: PluginSharedState = PluginSharedState()
    ) -> Loaded {
        let loaded = ConfigLoader.load(
            contents: contents,
            file: file,
            environment: environment,
            knownPluginNames: registry.names,
            checkPlugin: pluginCheck(registry)
        )
        return compile(
            loaded,
            registry: registry,
            logger: logger,
            dispatchers: dispatchers,
            shared: shared,
            file: file
        )
    }

    private static func pluginCheck(_ registry: PluginRegistry) -> PluginConfigCheck {
        { plugin, document, diagnostics in
            registry.descriptor(named: plugin.name)?.check(
                config: plugin.configNode(in: document),
                at: plugin.configLocation,
                into: &diagnostics
            )
        }
    }

    private static func compile(
        _ loaded: ConfigLoadResult,
        registry: PluginRegistry,
        logger: Logger,
        dispatchers: DispatcherFactory?,
        shared: PluginSharedState,
        file: String
    ) -> Loaded {
        var diagnostics = loaded.diagnostics
        guard let config = loaded.config else {
            return Loaded(result: .failure(ConfigLoadFailure(diagnostics: diagnostics)), diagnostics: diagnostics)
        }
        var compiler = ConfigCompiler(
            config: config,
            registry: registry,
            logger: logger,
            dispatchers: dispatchers,
            shared: shared
        )
        let compiled = compiler.compile(file: file, into: &diagnostics)
        guard let compiled, !diagnostics.hasErrors else {
            return Loaded(result: .failure(ConfigLoadFailure(diagnostics: diagnostics)), diagnostics: diagnostics)
        }
        return Loaded(result: .success(compiled), diagnostics: diagnostics)
    }
}
