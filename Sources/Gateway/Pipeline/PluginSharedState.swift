import CoreMetrics
import Prometheus
import Synchronization

/// Objects that plugins keep for the life of the gateway process, across configuration reloads:
/// rate-limit counters, idempotency records, Redis connection pools. Plugin instances are rebuilt on
/// every reload; what they keep here is not, so a reload neither resets a limit nor forgets a stored
/// response. One per ``GatewayProcess`` (tests running several gateways in one process do not share).
public final class PluginSharedState: Sendable {
    private let objects = Mutex<[String: any Sendable]>([:])
    /// Where plugins create their counters: the process's Prometheus registry (served by the admin
    /// API's `GET /metrics`), or nowhere for a one-off load.
    public let metrics: any MetricsFactory
    /// The process's Prometheus registry itself, for plugins that shape their own series (the
    /// `prometheus` plugin's histograms with Kong's buckets); nil for a one-off load.
    public let prometheus: PrometheusCollectorRegistry?

    /// An empty state (a new process, or a one-off load such as `pasarela validate`, whose
    /// metrics go nowhere).
    public init(metrics: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.metrics = metrics
        self.prometheus = nil
    }

    /// The state of a process whose metrics go to `registry`.
    public init(prometheus registry: PrometheusCollectorRegistry) {
        self.metrics = PrometheusMetricsFactory(registry: registry)
        self.prometheus = registry
    }

    /// The object stored under `key`, created by `make` the first time it is asked for. Keys are
    /// namespaced by the plugin, e.g. `"rate-limiting.local"` or `"redis:127.0.0.1:6379/0"`.
    /// When `make` throws, nothing is stored and the error is passed on.
    public func object<T: Sendable, E: Error>(
        _ key: String,
        as type: T.Type = T.self,
        make: () throws(E) -> T
    ) throws(E) -> T {
        try objects.withLock { (objects) throws(E) -> T in
            if let existing = objects[key] as? T { return existing }
            let created = try make()
            objects[key] = created
            return created
        }
    }

    /// Closes every stored object that holds resources (connections), when the process stops.
    public func shutdown() async {
        let closable = objects.withLock { objects in
            objects.values.compactMap { $0 as? any PluginSharedResource }
        }
        for resource in closable { await resource.shutdown() }
    }
}

/// A shared object that holds resources to release when the gateway stops (e.g. connections).
public protocol PluginSharedResource: Sendable {
    /// Releases the resources; called once, when the process shuts down.
    func shutdown() async
}
