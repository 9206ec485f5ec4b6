import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import Prometheus
import Synchronization

/// The gateway process: loads the configuration, serves the proxy and admin listeners, reloads on
/// SIGHUP / file change / admin request, and drains on SIGTERM/SIGINT.
public final class GatewayProcess: Sendable {
    private let configPath: String
    private let registry: PluginRegistry
    private let environment: [String: String]
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let store: ConfigStore
    private let proxy: ProxyServer
    private let reloadLock = Mutex<Void>(())
    private let channels = Mutex<[any Channel]>([])
    private let watcher = Mutex<FileWatcher?>(nil)
    /// Publishing connections of `amqp` services, kept across reloads.
    public let amqp: AMQPConnections
    /// What plugins keep across reloads (counters, stores, connection pools).
    public let pluginState: PluginSharedState
    /// The process's metrics, served by the admin API's `GET /metrics`.
    public let metrics: PrometheusCollectorRegistry

    /// Loads and compiles the configuration; throws ``ConfigLoadFailure`` with every error when invalid.
    public init(
        configPath: String,
        registry: PluginRegistry,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger,
        eventLoopThreads: Int = System.coreCount
    ) throws {
        self.configPath = configPath
        self.registry = registry
        self.environment = environment
        self.logger = logger
        let amqp = AMQPConnections(logger: logger)
        self.amqp = amqp
        let metrics = PrometheusCollectorRegistry()
        self.metrics = metrics
        let pluginState = PluginSharedState(prometheus: metrics)
        self.pluginState = pluginState
        let loaded = GatewayLoader.load(
            path: configPath,
            environment: environment,
            registry: registry,
            logger: logger,
            dispatchers: amqp.dispatcherFactory(connect: true),
            shared: pluginState
        )
        guard case .success(let compiled) = loaded.result else {
            throw ConfigLoadFailure(diagnostics: loaded.diagnostics)
        }
        for warning in loaded.diagnostics.warnings { logger.warning("\(warning)") }
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, eventLoopThreads))
        self.store = ConfigStore(compiled)
        self.proxy = ProxyServer(group: group, store: store, logger: logger)
    }

    /// The running configuration.
    public var configuration: CompiledConfig { store.current }

    /// Starts the listeners; returns the bound proxy and admin addresses.
    @discardableResult
    public func start() async throws -> (proxy: SocketAddress?, admin: SocketAddress?) {
        let settings = store.current.settings
        let proxyChannel = try await proxy.start(at: settings.proxyListen)
        var adminChannel: (any Channel)?
        if let adminListen = settings.adminListen {
            let proxy = self.proxy
            let api = AdminAPI(
                store: store,
                token: settings.adminToken,
                connections: { proxy.connections.open },
                metrics: { [metrics] in metrics.emitToString() },
                reload: { [self] in self.reload(reason: "admin API") }
            )
            adminChannel = try await AdminServer(group: group, api: api).start(at: adminListen)
        }
        channels.withLock { $0 = [proxyChannel] + (adminChannel.map { [$0] } ?? []) }
        startWatchingFile()
        logger.info(
            "pasarela started",
            metadata: [
                "proxy": "\(proxyChannel.localAddress?.description ?? "?")",
                "admin": "\(adminChannel?.localAddress?.description ?? "off")",
                "routes": "\(store.current.routes.count)",
            ]
        )
        return (proxyChannel.localAddress, adminChannel?.localAddress)
    }

    /// Loads the file again and swaps it in when valid; an invalid file changes nothing.
    @discardableResult
    public func reload(reason: String) -> ReloadOutcome {
        reloadLock.withLock { _ in
            let loaded = GatewayLoader.load(
                path: configPath,
                environment: environment,
                registry: registry,
                logger: logger,
                dispatchers: amqp.dispatcherFactory(connect: true),
                shared: pluginState
            )
            watcher.withLock { $0?.acknowledge() }
            switch loaded.result {
            case .success(let compiled):
                store.replace(with: compiled)
                let warnings = loaded.diagnostics.warnings.map(\.description)
                logger.info("configuration reloaded", metadata: ["reason": "\(reason)", "generation": "\(store.generation)"])
                return .reloaded(generation: store.generation, warnings: warnings)
            case .failure:
                let errors = loaded.diagnostics.errors.map(\.description)
                logger.error(
                    "configuration reload refused; the running configuration is unchanged",
                    metadata: ["reason": "\(reason)", "errors": "\(errors.joined(separator: "\n"))"]
                )
                return .invalid(errors: errors)
            }
        }
    }

    private func startWatchingFile() {
        let fileWatcher = FileWatcher(path: configPath) { [weak self] in self?.reload(reason: "file changed") }
        watcher.withLock { $0 = fileWatcher }
        fileWatcher.start()
    }

    /// Serves until SIGTERM/SIGINT, reloading on SIGHUP and when the file changes, then drains.
    public func runUntilSignalled() async throws {
        try await start()
        let events = AsyncStream<ProcessSignal> { continuation in
            // Dispatch sources are not Sendable; they are only cancelled from `onTermination`, once.
            nonisolated(unsafe) let sources = ProcessSignal.allCases.map { signalKind -> any DispatchSourceSignal in
                signal(signalKind.rawValue, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalKind.rawValue, queue: .global())
                source.setEventHandler { continuation.yield(signalKind) }
                source.resume()
                return source
            }
            continuation.onTermination = { _ in
                sources.forEach { $0.cancel() }
            }
        }
        for await event in events {
            switch event {
            case .hangup: reload(reason: "SIGHUP")
            case .terminate, .interrupt:
                logger.info("shutting down", metadata: ["signal": "\(event)"])
                await shutdown()
                return
            }
        }
    }

    /// Stops accepting, lets in-flight requests finish within `drain_timeout`, then closes everything.
    public func shutdown() async {
        let fileWatcher = watcher.withLock { watcher in
            defer { watcher = nil }
            return watcher
        }
        fileWatcher?.stop()
        let listening = channels.withLock { channels in
            defer { channels = [] }
            return channels
        }
        for channel in listening { try? await channel.close() }
        await proxy.quiesce()
        let deadline = NIODeadline.now() + store.current.settings.drainTimeout
        while proxy.connections.open > 0, NIODeadline.now() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await proxy.closeAllConnections()
        await proxy.closeIdleUpstreams()
        await amqp.closeAll()
        await pluginState.shutdown()
        try? await group.shutdownGracefully()
    }
}

/// Signals the process reacts to.
enum ProcessSignal: CaseIterable {
    case hangup, terminate, interrupt

    var rawValue: Int32 {
        switch self {
        case .hangup: return SIGHUP
        case .terminate: return SIGTERM
        case .interrupt: return SIGINT
        }
    }
}
