import GatewayTestSupport
import NIOHTTP1
import Testing

@testable import Gateway

/// SIGTERM's graceful path: stop accepting, let the request in flight finish, then close.
@Suite struct ShutdownTests {
    @Test func drainsInFlightRequests() async throws {
        let upstream = try await TestUpstream()
        let gateway = try await GatewayHarness.start(
            """
            _format_version: "3.0"
            pasarela:
              proxy_listen: 127.0.0.1:0
              admin_listen: "off"
              drain_timeout: 5s
            services:
              - url: http://{{UPSTREAM}}
                routes: [{paths: [/], strip_path: false}]
            """,
            upstream: upstream
        )
        let connection = try await gateway.connect()
        // The upstream answers 2 s after the request reaches it; the gateway is stopped as soon as it
        // has, so the request is in flight (not merely sent by the client) when shutdown begins.
        async let slow = connection.request(.GET, "/slow/2000")
        #expect(await eventually { upstream.requests == 1 })
        async let stopped: Void = gateway.stop()
        let response = try await slow
        #expect(response.status == 200)
        #expect(response.headers.first(name: "connection")?.lowercased() == "close")
        await stopped
        await upstream.shutdown()
    }
}
