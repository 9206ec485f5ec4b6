import Foundation
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// The proxy path through real sockets: routing, path handling and the headers sent each way.
@Suite struct ProxyForwardingTests {
    static let config = """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: 127.0.0.1:0
        services:
          - name: echo
            url: http://{{UPSTREAM}}/base
            routes:
              - name: stripped
                paths: [/api]
              - name: kept
                paths: [/keep]
                strip_path: false
              - name: preserved
                paths: [/preserve]
                preserve_host: true
              - name: regex
                paths: ["~/users/(?<id>\\\\d+)/profile$"]
        """

    @Test func stripsPathJoinsServicePathAndForwardsHeaders() async throws {
        try await withGateway(Self.config) { gateway, upstream in

            let response = try await gateway.request(
                .GET,
                "/api/echo?x=1",
                headers: [("Host", "public.example"), ("X-Forwarded-For", "10.9.9.9")]
            )
            #expect(response.status == 200)
            let echoed = try response.json()
            #expect(echoed["uri"] as? String == "/base/echo?x=1")
            let headers = try #require(echoed["headers"] as? [String: String])
            #expect(headers["host"] == "127.0.0.1:\(upstream.port)")
            #expect(headers["x-forwarded-for"] == "10.9.9.9, 127.0.0.1")
            #expect(headers["x-real-ip"] == "127.0.0.1")
            #expect(headers["x-forwarded-proto"] == "http")
            #expect(headers["x-forwarded-host"] == "public.example")
            #expect(headers["x-forwarded-port"] == String(gateway.proxyPort))
            #expect(headers["x-forwarded-path"] == "/api/echo")
            #expect(headers["x-forwarded-prefix"] == "/api")
            #expect(headers["via"] == "1.1 pasarela")
            let requestID = try #require(headers["x-request-id"])
            #expect(response.headers.first(name: "x-request-id") == requestID)
            #expect(response.headers.first(name: "via") == "1.1 pasarela")
        }
    }

    @Test func keepsPathAndPreservesHostWhenAsked() async throws {
        try await withGateway(Self.config) { gateway, upstream in

            let kept = try await gateway.request(.GET, "/keep/a/b")
            #expect(try kept.json()["uri"] as? String == "/base/keep/a/b")

            let preserved = try await gateway.request(.GET, "/preserve/x", headers: [("Host", "api.example:8443")])
            let headers = try #require(try preserved.json()["headers"] as? [String: String])
            #expect(headers["host"] == "api.example:8443")
        }
    }

    @Test func normalisesPathsBeforeMatching() async throws {
        try await withGateway(Self.config) { gateway, upstream in

            // `/nothing/../api/x` is `/api/x`; `/%61pi` is `/api`.
            let dotted = try await gateway.request(.GET, "/nothing/../api/x")
            #expect(dotted.status == 200)
            #expect(try dotted.json()["uri"] as? String == "/base/x")
            let encoded = try await gateway.request(.GET, "/%61pi/y")
            #expect(try encoded.json()["uri"] as? String == "/base/y")
            // Climbing out of a route's prefix does not reach it.
            let escaped = try await gateway.request(.GET, "/api/../other")
            #expect(escaped.status == 404)
            let bad = try await gateway.request(.GET, "/api/%zz")
            #expect(bad.status == 400)
        }
    }

    @Test func answersKongs404WithRequestID() async throws {
        try await withGateway(Self.config) { gateway, upstream in

            let response = try await gateway.request(.GET, "/unknown", headers: [("X-Request-Id", "abc-123")])
            #expect(response.status == 404)
            #expect(response.headers.first(name: "x-request-id") == "abc-123")
            #expect(response.headers.first(name: "content-type") == "application/json; charset=utf-8")
            let body = try response.json()
            #expect(body["message"] as? String == "no Route matched with those values")
            #expect(body["request_id"] as? String == "abc-123")

            // An id that could inject anything is replaced.
            let replaced = try await gateway.request(.GET, "/unknown", headers: [("X-Request-Id", "bad id <script>")])
            #expect(replaced.headers.first(name: "x-request-id") != "bad id <script>")
            #expect(replaced.headers.first(name: "x-request-id")?.count == 32)
        }
    }

    @Test func matchesRegexRoutes() async throws {
        try await withGateway(Self.config) { gateway, upstream in

            let response = try await gateway.request(.GET, "/users/42/profile")
            #expect(response.status == 200)
            #expect(try await gateway.request(.GET, "/users/x/profile").status == 404)
        }
    }

    @Test func removesHopByHopHeadersBothWays() async throws {
        try await withGateway(Self.config) { gateway, upstream in

            let response = try await gateway.request(
                .GET,
                "/api/echo",
                headers: [
                    ("Connection", "keep-alive, X-Private"), ("X-Private", "1"), ("Keep-Alive", "timeout=3"), ("TE", "trailers"),
                    ("Proxy-Authorization", "x"),
                ]
            )
            let headers = try #require(try response.json()["headers"] as? [String: String])
            for name in ["connection", "x-private", "keep-alive", "te", "proxy-authorization"] {
                #expect(headers[name] == nil, "\(name) reached the upstream")
            }
            // The upstream sent `Connection: keep-alive, X-Hop`, `X-Hop` and `Keep-Alive`.
            #expect(response.headers.first(name: "x-hop") == nil)
            #expect(response.headers.first(name: "keep-alive") == nil)
        }
    }
}
