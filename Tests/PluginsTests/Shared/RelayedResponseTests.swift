import Foundation
import GatewayTestSupport
import NIOCore
import Plugins
import Testing

/// A route without plugins relays the upstream's response as bytes; a route with a plugin builds it
/// from parts. The client must not be able to tell them apart.
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
            let relayed = try await gateway.raw("\(method) /plain\(path)\(tail)")
            let built = try await gateway.raw("\(method) /checked\(path)\(tail)")
            #expect(relayed.hasPrefix("HTTP/1.1 "))
            #expect(Self.comparable(relayed) == Self.comparable(built))
        }
    }
}
