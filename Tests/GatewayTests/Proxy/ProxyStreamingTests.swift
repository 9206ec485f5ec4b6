import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// Bodies cross the gateway streamed, intact, both ways; connections are reused.
@Suite struct ProxyStreamingTests {
    static let config = """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: 127.0.0.1:0
        services:
          - name: echo
            url: http://{{UPSTREAM}}
            routes:
              - paths: [/]
                strip_path: false
        """

    @Test func uploadsFiftyMegabytesIntact() async throws {
        try await withGateway(Self.config) { gateway, _ in
            let total = 50 * 1024 * 1024
            let connection = try await gateway.connect()
            let response = try await connection.upload("/checksum", total: total)
            await connection.close()
            #expect(response.status == 200)
            let json = try response.json()
            #expect(json["bytes"] as? Int == total)
            #expect(json["crc32"] as? Int == Int(Self.expectedCRC(total)))
        }
    }

    @Test func downloadsFiftyMegabytesIntact() async throws {
        try await withGateway(Self.config) { gateway, _ in
            let total = 50 * 1024 * 1024
            let response = try await gateway.request(.GET, "/bytes/\(total)")
            #expect(response.status == 200)
            #expect(response.body.readableBytes == total)
            var crc = CRC32()
            response.body.withUnsafeReadableBytes { crc.update($0) }
            #expect(crc.value == Self.expectedCRC(total))
        }
    }

    @Test func reusesUpstreamConnections() async throws {
        try await withGateway(Self.config) { gateway, upstream in
            let connection = try await gateway.connect()
            for index in 0..<25 {
                let response = try await connection.request(.GET, "/echo/\(index)")
                #expect(response.status == 200)
            }
            await connection.close()
            // One client connection lives on one event loop, which keeps one upstream connection.
            #expect(upstream.accepts == 1)
            for _ in 0..<10 { #expect(try await gateway.request(.GET, "/echo").status == 200) }
            // New client connections land on either of the two loops; each loop reuses its own.
            #expect(upstream.accepts <= 2)
        }
    }

    @Test func aHeadResponseEndsAtItsHeadEvenWhenTheUpstreamChunks() async throws {
        try await withGateway(Self.config) { gateway, _ in
            // The upstream answers HEAD /bytes with `Transfer-Encoding: chunked` and no body. The
            // client's next response must follow the head at once: no chunk terminator in between.
            let answer = try await gateway.raw(
                "HEAD /bytes/10 HTTP/1.1\r\nHost: x\r\n\r\nGET /status/200 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            let head = answer.split(separator: "\r\n\r\n", maxSplits: 1, omittingEmptySubsequences: false)
            #expect(answer.hasPrefix("HTTP/1.1 200"))
            #expect(head.first?.lowercased().contains("transfer-encoding: chunked") == true)
            #expect(head.count == 2 && head[1].hasPrefix("HTTP/1.1 200"), "after the HEAD's head: \(head.last ?? "")")
        }
    }

    @Test func keepsClientConnectionsAlive() async throws {
        try await withGateway(Self.config) { gateway, _ in
            let connection = try await gateway.connect()
            let first = try await connection.request(.GET, "/status/204")
            let second = try await connection.request(.POST, "/echo", body: ByteBuffer(string: "hello"))
            #expect(first.status == 204)
            #expect(second.status == 200)
            #expect(try second.json()["body_bytes"] as? Int == 5)
            #expect(connection.isActive)
            let closing = try await connection.request(.GET, "/echo", headers: [("Connection", "close")])
            #expect(closing.headers.first(name: "connection")?.lowercased() == "close")
            #expect(await eventually { !connection.isActive })
        }
    }

    static func expectedCRC(_ total: Int) -> UInt32 {
        var crc = CRC32()
        var offset = 0
        while offset < total {
            let size = min(64 * 1024, total - offset)
            TestPattern.chunk(offset: offset, size: size).withUnsafeReadableBytes { crc.update($0) }
            offset += size
        }
        return crc.value
    }
}
