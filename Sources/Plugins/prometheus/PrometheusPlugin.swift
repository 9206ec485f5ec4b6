import Gateway
import Prometheus
import Synchronization

/// Kong's `prometheus`: per-request metrics in the process's Prometheus registry, served by the
/// admin API's `GET /metrics` (as Kong serves them on its Admin and Status APIs), with Kong 3's
/// names and labels: `kong_http_requests_total{service,route,code,source,workspace,consumer}`,
/// `kong_{kong,upstream,request}_latency_ms{service,route,workspace}` (histograms, Kong's buckets)
/// and `kong_bandwidth_bytes{service,route,direction,workspace,consumer}`. Requests that matched no
/// service are not recorded, as in Kong. Every instance (global, per route, across reloads) writes
/// to the same series.
public struct PrometheusPlugin: ConfigurablePlugin {
    public static let name = "prometheus"
    public static let priority = 13

    let config: PrometheusConfig
    private let series: PrometheusSeries?

    public init(configuration: PrometheusConfig, context: PluginBuildContext) {
        config = configuration
        series = context.shared.prometheus.map { registry in
            context.shared.object("prometheus.series") { PrometheusSeries(registry: registry) }
        }
        if configuration.upstreamHealthMetrics, let series {
            series.reportTargets(of: context.config)
        }
    }

    public func log(_ context: RequestContext) {
        guard let series, let route = context.route, let service = route.service else { return }
        let serviceLabel = KongLogSerializer.serviceLabel(service)
        let routeLabel = route.name ?? route.id
        let consumer = config.perConsumer ? (context.consumer?.username ?? "") : ""
        if config.statusCodeMetrics {
            let code = context.responseStatus.map { String($0.code) } ?? "0"
            let source = (context.responseSource ?? .error).rawValue
            series.requests(service: serviceLabel, route: routeLabel, code: code, source: source, consumer: consumer)
                .increment()
        }
        if config.latencyMetrics {
            let measured = KongLogSerializer.Latencies(context)
            let histograms = series.latencies(service: serviceLabel, route: routeLabel)
            histograms.request.record(Double(measured.request))
            histograms.kong.record(Double(measured.kong))
            if let proxy = measured.proxy { histograms.upstream.record(Double(proxy)) }
        }
        if config.bandwidthMetrics {
            let bandwidth = series.bandwidth(service: serviceLabel, route: routeLabel, consumer: consumer)
            let ingress = KongLogSerializer.requestSize(context)
            let egress = KongLogSerializer.responseSize(context)
            if ingress > 0 { bandwidth.ingress.increment(by: Int64(ingress)) }
            if egress > 0 { bandwidth.egress.increment(by: Int64(egress)) }
        }
    }

}
