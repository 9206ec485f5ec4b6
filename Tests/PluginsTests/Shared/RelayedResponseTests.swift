import Foundation
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Plugins
import Testing

/// A route without plugins sends the request upstream and the response back as bytes; a route with
/// a plugin builds both from parts. Neither the client nor the upstream can tell them apart.
@Suite struct RelayedResponseTests {
    static let yaml = """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: 127.0.0.1:0
        services:
          - name: upstream
            url: http://{{UPSTREAM}}
            routes:
              - name: plain
                paths: [/plain]
              - name: with-plugin
                paths: [/checked]
                plugins: [{name: ip-restriction, config: {allow: [127.0.0.0/8]}}]
        """

    /// The response as the client read it, without the lines that differ by request (date, id), and
    /// with a chunked body decoded (where chunks end is up to each hop, not part of the message).
    static func comparable(_ response: String) -> String {
        let halves = response.split(separator: "\r\n\r\n", maxSplits: 1, omittingEmptySubsequences: false)
        let head = halves[0].split(separator: "\r\n", omittingEmptySubsequences: false)
            .filter { !$0.lowercased().hasPrefix("date:") && !$0.lowercased().hasPrefix("x-request-id:") }
            .joined(separator: "\r\n")
        var body = Array((halves.count > 1 ? halves[1] : "").utf8)
        if head.lowercased().contains("transfer-encoding: chunked") {
            // Bytes, not Characters: "\r\n" is one Character in a Swift String.
            var data: [UInt8] = []
            while let lineEnd = body.firstIndex(of: UInt8(ascii: "\n")), lineEnd > 0,
                let size = Int(String(decoding: body[..<(lineEnd - 1)], as: UTF8.self), radix: 16),
                body.count >= lineEnd + 1 + size + 2
            {
                data += body[(lineEnd + 1)..<(lineEnd + 1 + size)]
                body = Array(body[(lineEnd + 1 + size + 2)...])
                if size == 0 { break }
            }
            return head + "\r\n\r\n" + String(decoding: data, as: UTF8.self) + "|" + String(decoding: body, as: UTF8.self)
        }
        return head + "\r\n\r\n" + String(decoding: body, as: UTF8.self)
    }

    @Test(arguments: ["GET /json-chunked/200000", "HEAD /bytes/10", "GET /status/204", "GET /status/404", "GET /json-chunked/300"])
    func bothPathsGiveTheSameResponse(request: String) async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let parts = request.split(separator: " ")
            let (method, path) = (parts[0], parts[1])
            let tail = " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            // Each response ends with the connection (Connection: close): the wait is only a bound,
            // generous for a loaded suite.
            let relayed = try await gateway.raw("\(method) /plain\(path)\(tail)", wait: .seconds(15))
            let built = try await gateway.raw("\(method) /checked\(path)\(tail)", wait: .seconds(15))
            #expect(relayed.hasPrefix("HTTP/1.1 "))
            #expect(Self.comparable(relayed) == Self.comparable(built))
        }
    }

    @Test(arguments: [HTTPMethod.GET, .POST, .DELETE])
    func bothPathsSendTheSameRequest(method: HTTPMethod) async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let headers = [
                ("Connection", "keep-alive, X-Private"), ("X-Private", "1"), ("Keep-Alive", "timeout=5"), ("TE", "trailers"),
                ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Host", "spoofed"), ("Via", "1.0 edge"), ("X-Request-Id", "mine"),
                ("Accept", "*/*"), ("Cookie", "a=1"),
            ]
            let body = method == .POST ? ByteBuffer(string: "{\"a\":1}") : nil
            var seen: [[String: String]] = []
            for path in ["/plain/echo?q=1", "/checked/echo?q=1"] {
                let response = try await gateway.request(method, path, headers: headers, body: body)
                #expect(response.status == 200)
                let json = try response.json()
                var echoed = (json["headers"] as? [String: String]) ?? [:]
                // What differs by route or request: the prefix stripped, the path, the id.
                for name in ["x-forwarded-prefix", "x-forwarded-path", "x-request-id"] { echoed[name] = nil }
                echoed["method"] = json["method"] as? String
                echoed["uri"] = json["uri"] as? String
                echoed["body_bytes"] = (json["body_bytes"] as? Int).map(String.init)
                seen.append(echoed)
            }
            #expect(seen[0] == seen[1])
            #expect(seen[0]["x-private"] == nil && seen[0]["connection"] == nil && seen[0]["te"] == nil)
            #expect(seen[0]["x-forwarded-for"] == "203.0.113.9, 127.0.0.1")
        }
    }

    /// Responses the gateway cannot read are a 502 through real sockets, on the byte-level path as
    /// on the parts path; the upstream never closes, so the 502 comes from reading the bytes.
    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
        "SSH-2.0-OpenSSH_9.2\r\n\r\n",
    ])
    func unreadableUpstreamResponsesAre502(answer: String) async throws {
        let raw = try await RawUpstream(answer: answer)
        let yaml = Self.yaml.replacingOccurrences(of: "{{UPSTREAM}}", with: "127.0.0.1:\(raw.port)")
        do {
            try await withGateway(yaml, registry: BuiltinPlugins.registry) { gateway, _ in
                for path in ["/plain/x", "/checked/x"] {
                    let response = try await gateway.request(.GET, path)
                    #expect(response.status == 502, "\(path)")
                    #expect(
                        try response.json()["message"] as? String
                            == "An invalid response was received from the upstream server"
                    )
                }
            }
        } catch {
            await raw.shutdown()
            throw error
        }
        await raw.shutdown()
    }
}
