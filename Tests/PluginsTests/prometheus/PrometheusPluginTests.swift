import Gateway
import GatewayTestSupport
import Logging
import NIOCore
import NIOHTTP1
import Testing

@testable import Plugins

/// Kong's `prometheus` (3.x names and labels), read back from the admin API's `GET /metrics`.
struct PrometheusPluginTests {
    static func gateway(_ config: String) -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: 127.0.0.1:0
        consumers:
          - username: alice
            keyauth_credentials: [{key: alice-key}]
        services:
          - name: echo
            url: http://{{UPSTREAM}}
            routes:
              - name: open
                paths: [/open]
              - name: keyed
                paths: [/keyed]
                plugins: [{name: key-auth}]
          - name: down
            url: http://127.0.0.1:1
            routes: [{name: broken, paths: [/broken]}]
        routes:
          - name: serviceless
            paths: [/nowhere]
        plugins:
          - name: prometheus
            config: \(config)
        """
    }

    static func sample(_ text: String, _ name: String, _ labels: [(String, String)]) -> Double? {
        let rendered = labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",")
        return PrometheusText.value(text, "\(name){\(rendered)}")
    }

    static func requests(_ text: String, route: String, code: Int, source: String, consumer: String = "", service: String = "echo") -> Double? {
        sample(
            text,
            "kong_http_requests_total",
            [
                ("service", service), ("route", route), ("code", String(code)), ("source", source),
                ("workspace", "default"), ("consumer", consumer),
            ]
        )
    }

    @Test func kongDefaultsRecordNoPerRequestSeries() async throws {
        #expect(PrometheusConfig() == PrometheusConfig())
        let config = PrometheusConfig()
        #expect(!config.perConsumer && !config.statusCodeMetrics && !config.latencyMetrics && !config.bandwidthMetrics)
        try await withGateway(Self.gateway("{}"), registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) in
            #expect(try await gateway.request(.GET, "/open/echo").status == 200)
            let text = try await gateway.admin(.GET, "/metrics").text
            #expect(!text.contains("kong_http_requests_total"))
            #expect(!text.contains("kong_request_latency_ms"))
        }
    }

    @Test func statusCodesBySourceAndConsumer() async throws {
        let config = "{status_code_metrics: true, per_consumer: true}"
        try await withGateway(Self.gateway(config), registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) in
            #expect(try await gateway.request(.GET, "/open/echo").status == 200)
            #expect(try await gateway.request(.GET, "/open/status/503").status == 503)
            #expect(try await gateway.request(.GET, "/keyed/echo", headers: [("apikey", "alice-key")]).status == 200)
            #expect(try await gateway.request(.GET, "/keyed/echo", headers: [("apikey", "alice-key")]).status == 200)
            #expect(try await gateway.request(.GET, "/keyed/echo").status == 401)
            #expect(try await gateway.request(.GET, "/broken").status == 502)
            #expect(try await gateway.request(.GET, "/nowhere").status == 503)
            #expect(try await gateway.request(.GET, "/unrouted").status == 404)
            let text = try await gateway.admin(.GET, "/metrics").text
            #expect(Self.requests(text, route: "open", code: 200, source: "service") == 1)
            #expect(Self.requests(text, route: "open", code: 503, source: "service") == 1)
            #expect(Self.requests(text, route: "keyed", code: 200, source: "service", consumer: "alice") == 2)
            #expect(Self.requests(text, route: "keyed", code: 401, source: "exit") == 1)
            #expect(Self.requests(text, route: "broken", code: 502, source: "error", service: "down") == 1)
            // Kong records nothing for requests that reached no service.
            #expect(!text.contains("route=\"serviceless\""))
            #expect(!text.contains("code=\"404\""))
        }
    }

    @Test func withoutPerConsumerTheConsumerLabelIsEmpty() async throws {
        try await withGateway(Self.gateway("{status_code_metrics: true}"), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) in
            #expect(try await gateway.request(.GET, "/keyed/echo", headers: [("apikey", "alice-key")]).status == 200)
            let text = try await gateway.admin(.GET, "/metrics").text
            #expect(Self.requests(text, route: "keyed", code: 200, source: "service") == 1)
        }
    }

    @Test func latencyHistogramsWithKongsBuckets() async throws {
        try await withGateway(Self.gateway("{latency_metrics: true}"), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) in
            #expect(try await gateway.request(.GET, "/open/slow/300").status == 200)
            #expect(try await gateway.request(.GET, "/open/echo").status == 200)
            #expect(try await gateway.request(.GET, "/keyed/echo").status == 401)
            let text = try await gateway.admin(.GET, "/metrics").text
            let open = [("service", "echo"), ("route", "open"), ("workspace", "default")]
            let keyed = [("service", "echo"), ("route", "keyed"), ("workspace", "default")]
            #expect(Self.sample(text, "kong_request_latency_ms_count", open) == 2)
            #expect(Self.sample(text, "kong_upstream_latency_ms_count", open) == 2)
            #expect(Self.sample(text, "kong_kong_latency_ms_count", open) == 2)
            // The upstream slept 300 ms once: one upstream latency is above the 200 ms bucket (the
            // margin keeps the echo below it on a loaded machine; 30 ms against 25 did not).
            #expect(Self.sample(text, "kong_upstream_latency_ms_bucket", open + [("le", "200.0")]) == 1)
            #expect(Self.sample(text, "kong_upstream_latency_ms_bucket", open + [("le", "60000.0")]) == 2)
            // A request a plugin answered has no upstream latency.
            #expect(Self.sample(text, "kong_request_latency_ms_count", keyed) == 1)
            #expect((Self.sample(text, "kong_upstream_latency_ms_count", keyed) ?? 0) == 0)
        }
    }

    @Test func bandwidthInBothDirections() async throws {
        try await withGateway(Self.gateway("{bandwidth_metrics: true}"), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) in
            let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: 10_000)
            let response = try await gateway.request(.POST, "/open/echo", body: body)
            #expect(response.status == 200)
            let text = try await gateway.admin(.GET, "/metrics").text
            let labels = { (direction: String) in
                [("service", "echo"), ("route", "open"), ("direction", direction), ("workspace", "default"), ("consumer", "")]
            }
            let ingress = try #require(Self.sample(text, "kong_bandwidth_bytes", labels("ingress")))
            let egress = try #require(Self.sample(text, "kong_bandwidth_bytes", labels("egress")))
            #expect(ingress > 10_000 && ingress < 10_500)
            #expect(egress > Double(response.body.readableBytes))
        }
    }

    @Test func upstreamTargetsReportHealthchecksOff() async throws {
        let yaml = """
            _format_version: "3.0"
            pasarela:
              proxy_listen: 127.0.0.1:0
              admin_listen: 127.0.0.1:0
            upstreams:
              - name: pool
                targets: [{target: "127.0.0.1:8001"}]
            plugins:
              - name: prometheus
                config: {upstream_health_metrics: true}
            """
        try await withGateway(yaml, registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) in
            let text = try await gateway.admin(.GET, "/metrics").text
            let labels = { (state: String) in
                [
                    ("upstream", "pool"), ("target", "127.0.0.1:8001"), ("address", "127.0.0.1:8001"), ("state", state),
                    ("subsystem", "http"), ("workspace", "default"),
                ]
            }
            #expect(Self.sample(text, "kong_upstream_target_health", labels("healthchecks_off")) == 1)
            #expect(Self.sample(text, "kong_upstream_target_health", labels("healthy")) == 0)
        }
    }
}
