import GatewayTestSupport
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import Gateway

/// What the gateway answers when the client or the upstream misbehaves.
@Suite struct ProxyErrorTests {
    static func config(deadPort: Int = 1) -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: 127.0.0.1:0
          client_header_timeout: 500ms
          client_body_timeout: 500ms
          max_header_size: 4k
          max_request_line: 1k
          client_max_body_size: 1k
        services:
          - name: echo
            url: http://{{UPSTREAM}}
            read_timeout: 300
            retries: 0
            routes:
              - paths: [/]
                strip_path: false
          - name: dead
            url: http://127.0.0.1:\(deadPort)
            retries: 2
            connect_timeout: 500
            routes:
              - paths: [/dead]
          - name: balanced
            host: pool
            port: 80
            retries: 3
            routes:
              - paths: [/balanced]
        upstreams:
          - name: pool
            targets:
              - target: 127.0.0.1:\(deadPort)
              - target: {{UPSTREAM}}
        """
    }

    @Test func unreachableUpstreamIs502() async throws {
        let dead = try await unusedPort()
        try await withGateway(Self.config(deadPort: dead)) { gateway, _ in
            let response = try await gateway.request(.GET, "/dead/x")
            #expect(response.status == 502)
            #expect(try response.json()["message"] as? String == "An invalid response was received from the upstream server")
            #expect(response.headers.first(name: "x-request-id") != nil)
        }
    }

    @Test func retriesAnotherTargetWhenAConnectionFails() async throws {
        let dead = try await unusedPort()
        try await withGateway(Self.config(deadPort: dead)) { gateway, _ in
            for _ in 0..<6 {
                let response = try await gateway.request(.POST, "/balanced/echo", body: ByteBuffer(string: "{}"))
                #expect(response.status == 200)
            }
        }
    }

    @Test func slowUpstreamIs504() async throws {
        try await withGateway(Self.config()) { gateway, _ in
            let response = try await gateway.request(.GET, "/slow/1500")
            #expect(response.status == 504)
            #expect(try response.json()["message"] as? String == "The upstream server is timing out")
            #expect(try await gateway.request(.GET, "/slow/10").status == 200)
        }
    }

    @Test func upstreamClosingWithoutAnswerIs502() async throws {
        try await withGateway(Self.config()) { gateway, _ in
            let response = try await gateway.request(.POST, "/close", body: ByteBuffer(string: "x"))
            #expect(response.status == 502)
        }
    }

    @Test func refusesAmbiguousFraming() async throws {
        try await withGateway(Self.config()) { gateway, upstream in
            let smuggled = try await gateway.raw(
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n"
            )
            #expect(smuggled.hasPrefix("HTTP/1.1 400"))
            #expect(!smuggled.contains("HTTP/1.1 200"))
            let doubled = try await gateway.raw(
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde"
            )
            #expect(doubled.hasPrefix("HTTP/1.1 400"))
            #expect(upstream.accepts == 0)
        }
    }

    @Test func enforcesHeadAndBodyLimits() async throws {
        try await withGateway(Self.config()) { gateway, _ in
            let bigHeader = try await gateway.request(.GET, "/echo", headers: [("X-Big", String(repeating: "a", count: 8000))])
            #expect(bigHeader.status == 431)
            let longURI = try await gateway.request(.GET, "/echo?" + String(repeating: "q", count: 2000))
            #expect(longURI.status == 414)
            let bigBody = try await gateway.request(.POST, "/echo", body: ByteBuffer(repeating: 0x61, count: 2000))
            #expect(bigBody.status == 413)
            #expect(try await gateway.request(.POST, "/echo", body: ByteBuffer(repeating: 0x61, count: 100)).status == 200)
        }
    }

    @Test func slowClientHeadIs408() async throws {
        try await withGateway(Self.config()) { gateway, _ in
            let answer = try await gateway.raw("GET /echo HTTP/1.1\r\nHost: x\r\n", wait: .seconds(3))
            #expect(answer.hasPrefix("HTTP/1.1 408"))
        }
    }

    @Test func slowClientBodyIs408() async throws {
        try await withGateway(Self.config()) { gateway, _ in
            let answer = try await gateway.raw(
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789",
                wait: .seconds(3)
            )
            #expect(answer.hasPrefix("HTTP/1.1 408"))
            #expect(answer.lowercased().contains("connection: close"))
        }
    }

    @Test func malformedRequestIs400() async throws {
        try await withGateway(Self.config()) { gateway, _ in
            let answer = try await gateway.raw("GARBAGE\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 400"))
            #expect(answer.contains("\"message\":\"Bad request\""))
        }
    }

    @Test func anHTTP11RequestNeedsExactlyOneHost() async throws {
        try await withGateway(Self.config()) { gateway, upstream in
            let none = try await gateway.raw("GET /echo HTTP/1.1\r\n\r\n")
            let two = try await gateway.raw("GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
            #expect(none.hasPrefix("HTTP/1.1 400"))
            #expect(two.hasPrefix("HTTP/1.1 400"))
            #expect(upstream.accepts == 0)
            // HTTP/1.0 may leave it out.
            let old = try await gateway.raw("GET /echo HTTP/1.0\r\n\r\n")
            #expect(old.hasPrefix("HTTP/1.1 200"))
        }
    }

    /// `keepalive_timeout` closes a connection that stays idle after a response, and one that never
    /// sends anything, through a real socket (the client would wait far longer). 2 s: a loaded suite
    /// can take longer than a short timeout between connecting and writing.
    @Test func idleKeepAliveConnectionsAreClosed() async throws {
        let yaml = """
            _format_version: "3.0"
            pasarela:
              proxy_listen: 127.0.0.1:0
              admin_listen: 127.0.0.1:0
              keepalive_timeout: 2s
            services:
              - url: http://{{UPSTREAM}}
                routes: [{paths: [/]}]
            """
        try await withGateway(yaml) { gateway, _ in
            let clock = ContinuousClock()
            let started = clock.now
            let answered = try await gateway.raw("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n", wait: .seconds(30))
            #expect(answered.hasPrefix("HTTP/1.1 200"))
            #expect(!answered.lowercased().contains("connection: close"))
            // Closed by the gateway, long before the client's own 30 s wait.
            #expect(clock.now - started < .seconds(20))

            // A connection that never sends a byte: nothing written, it just waits for the close.
            let silentStarted = clock.now
            let silent = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: gateway.proxyPort).get()
            let timer = silent.eventLoop.scheduleTask(in: .seconds(30)) { silent.close(promise: nil) }
            try await silent.closeFuture.get()
            timer.cancel()
            #expect(clock.now - silentStarted < .seconds(20))
        }
    }
}
