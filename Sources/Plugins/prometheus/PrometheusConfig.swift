import Gateway

/// Kong's `prometheus` configuration (3.x): which families of per-request metrics are recorded.
public struct PrometheusConfig: PluginConfiguration, Equatable {
    /// Fill the `consumer` label of `kong_http_requests_total` and `kong_bandwidth_bytes` with the
    /// consumer's username.
    public var perConsumer = false
    /// Record `kong_http_requests_total`.
    public var statusCodeMetrics = false
    /// Record `kong_kong_latency_ms`, `kong_upstream_latency_ms` and `kong_request_latency_ms`.
    public var latencyMetrics = false
    /// Record `kong_bandwidth_bytes`.
    public var bandwidthMetrics = false
    /// Kong's upstream target health gauge. Pasarela runs no active health checks, so every target
    /// is reported as `healthchecks_off`, as Kong does for an upstream without health checks.
    public var upstreamHealthMetrics = false
    /// Kong's AI gateway metrics: accepted for compatibility; Pasarela has no AI proxy, so there is
    /// nothing to record.
    public var aiMetrics = false

    enum CodingKeys: String, CodingKey {
        case perConsumer = "per_consumer"
        case statusCodeMetrics = "status_code_metrics"
        case latencyMetrics = "latency_metrics"
        case bandwidthMetrics = "bandwidth_metrics"
        case upstreamHealthMetrics = "upstream_health_metrics"
        case aiMetrics = "ai_metrics"
    }

    /// Kong's defaults.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        perConsumer = try container.value(.perConsumer, or: perConsumer)
        statusCodeMetrics = try container.value(.statusCodeMetrics, or: statusCodeMetrics)
        latencyMetrics = try container.value(.latencyMetrics, or: latencyMetrics)
        bandwidthMetrics = try container.value(.bandwidthMetrics, or: bandwidthMetrics)
        upstreamHealthMetrics = try container.value(.upstreamHealthMetrics, or: upstreamHealthMetrics)
        aiMetrics = try container.value(.aiMetrics, or: aiMetrics)
    }
}
