import Gateway
import Prometheus
import Synchronization

/// The `prometheus` plugin's series in the process registry, looked up once per label set and then
/// kept (the registry's own lookup takes its lock and hashes every label). Shared by every instance
/// of the plugin for the life of the process.
final class PrometheusSeries: Sendable {
    /// Kong's latency buckets, in milliseconds.
    static let latencyBuckets: [Double] = [
        1, 2, 5, 7, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 1000, 2000, 5000, 10000,
        30000, 60000,
    ]
    static let workspace = "default"

    struct Latencies: Sendable {
        let kong: ValueHistogram
        let upstream: ValueHistogram
        let request: ValueHistogram
    }

    struct Bandwidth: Sendable {
        let ingress: Counter
        let egress: Counter
    }

    private let registry: PrometheusCollectorRegistry
    private let requestCounters = Mutex<[[String]: Counter]>([:])
    private let latencyHistograms = Mutex<[[String]: Latencies]>([:])
    private let bandwidthCounters = Mutex<[[String]: Bandwidth]>([:])
    private let reportedTargets = Mutex<Set<[String]>>([])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// `kong_http_requests_total` for one label set.
    func requests(service: String, route: String, code: String, source: String, consumer: String) -> Counter {
        let key = [service, route, code, source, consumer]
        return requestCounters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: Self.descriptor("http_requests", unit: "total", help: "HTTP status codes per consumer/service/route in Kong"),
                labels: [
                    ("service", service), ("route", route), ("code", code), ("source", source),
                    ("workspace", Self.workspace), ("consumer", consumer),
                ]
            )
            counters[key] = counter
            return counter
        }
    }

    /// The three latency histograms of a service and route.
    func latencies(service: String, route: String) -> Latencies {
        let key = [service, route]
        return latencyHistograms.withLock { histograms in
            if let existing = histograms[key] { return existing }
            let labels = [("service", service), ("route", route), ("workspace", Self.workspace)]
            let latencies = Latencies(
                kong: histogram("kong_latency", "Latency added by Kong and enabled plugins for each service/route in Kong", labels),
                upstream: histogram("upstream_latency", "Latency added by upstream response for each service/route in Kong", labels),
                request: histogram("request_latency", "Total latency incurred during requests for each service/route in Kong", labels)
            )
            histograms[key] = latencies
            return latencies
        }
    }

    /// `kong_bandwidth_bytes` in both directions for one label set.
    func bandwidth(service: String, route: String, consumer: String) -> Bandwidth {
        let key = [service, route, consumer]
        return bandwidthCounters.withLock { counters in
            if let existing = counters[key] { return existing }
            let descriptor = Self.descriptor("bandwidth", unit: "bytes", help: "Total bandwidth (ingress/egress) throughput in bytes")
            func counter(_ direction: String) -> Counter {
                registry.makeCounter(
                    descriptor: descriptor,
                    labels: [
                        ("service", service), ("route", route), ("direction", direction),
                        ("workspace", Self.workspace), ("consumer", consumer),
                    ]
                )
            }
            let bandwidth = Bandwidth(ingress: counter("ingress"), egress: counter("egress"))
            counters[key] = bandwidth
            return bandwidth
        }
    }

    /// `kong_upstream_target_health` for every target of the configuration's upstreams: Pasarela
    /// runs no health checks, so each reports `healthchecks_off` (1) and the other states 0.
    func reportTargets(of config: GatewayConfig) {
        let descriptor = Self.descriptor(
            "upstream_target_health",
            unit: nil,
            help: "Health status of targets of upstream. States = healthchecks_off|healthy|unhealthy|dns_error, value is 1 when state is populated."
        )
        for upstream in config.upstreams {
            for target in upstream.targets {
                let key = [upstream.name, target.target]
                guard reportedTargets.withLock({ $0.insert(key).inserted }) else { continue }
                for state in ["healthchecks_off", "healthy", "unhealthy", "dns_error"] {
                    registry.makeGauge(
                        descriptor: descriptor,
                        labels: [
                            ("upstream", upstream.name), ("target", target.target), ("address", target.target),
                            ("state", state), ("subsystem", "http"), ("workspace", Self.workspace),
                        ]
                    ).set(to: state == "healthchecks_off" ? 1.0 : 0.0)
                }
            }
        }
    }

    private func histogram(_ name: String, _ help: String, _ labels: [(String, String)]) -> ValueHistogram {
        registry.makeValueHistogram(
            descriptor: Self.descriptor(name, unit: "ms", help: help),
            labels: labels,
            buckets: Self.latencyBuckets
        )
    }

    private static func descriptor(_ name: String, unit: String?, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "kong", metricName: name, unitName: unit ?? "", helpText: help)
    }
}
