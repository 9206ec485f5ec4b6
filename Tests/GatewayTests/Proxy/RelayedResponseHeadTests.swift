import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// A response relayed as bytes gets the same head, byte for byte, as the parts path gives it
/// (`downstreamHeaders`, then the encoder's framing).
@Suite struct RelayedResponseHeadTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let upstream: String
        var method: HTTPMethod = .GET
        var close = false
        var testDescription: String { "\(method) \(upstream.prefix(40).debugDescription)\(close ? " close" : "")" }
    }

    static let cases: [Case] = [
        Case(upstream: "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Tue, 24 Nov 2026 04:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\n"),
        Case(upstream: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", close: true),
        Case(
            upstream: "HTTP/1.1 201 Created\r\nKeep-Alive: timeout=5\r\nVia: 1.1 a, 1.0 b\r\nX-Request-Id: upstream-id\r\nConnection: keep-alive, X-Private\r\n"
                + "X-Private: 1\r\nTrailer: X-Sum\r\nUpgrade: h2c\r\nProxy-Authenticate: Basic\r\nTransfer-Encoding: chunked\r\nVia: 1.1 c\r\nX-Kept: yes\r\n\r\n"
        ),
        Case(upstream: "HTTP/1.1 200 OK\r\nConnection: Via\r\nVia: 1.1 hidden\r\nContent-Length: 0\r\n\r\n"),
        Case(upstream: "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nX-A: 1\r\n\r\n"),
        Case(upstream: "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\nETag: \"x\"\r\n\r\n"),
        Case(upstream: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", method: .HEAD),
        Case(upstream: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n", close: true),
        Case(upstream: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", method: .HEAD, close: true),
        Case(upstream: "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", method: .HEAD),
        Case(upstream: "HTTP/1.1 200 OK\r\nX-Nothing: about length\r\n\r\n", method: .HEAD, close: true),
        Case(upstream: "HTTP/1.1 599 Weird\r\nContent-Length: 1\r\nx-lower: case kept\r\n\r\n"),
        Case(upstream: "HTTP/1.0 404 Not Found\r\nContent-Length: 2\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"),
    ]

    @Test(arguments: cases)
    func sameHeadAsThePartsPath(_ testCase: Case) throws {
        var parser = ResponseHeadParser(maxHeadSize: 4096)
        guard case .head(let raw, _) = parser.parse(ByteBuffer(string: testCase.upstream), requestMethod: testCase.method) else {
            Issue.record("the upstream head did not parse")
            return
        }
        var relayed = ByteBuffer()
        #expect(RelayedResponseHead.write(raw, requestID: "req-1", close: testCase.close, into: &relayed))

        // The parts path, as ProxyExchange.upstreamResponseHead and prepareResponseHead build it.
        let upstreamHead = raw.makeHTTPResponseHead()
        var headers = ProxyExchange.downstreamHeaders(of: upstreamHead.headers, requestID: "req-1")
        if upstreamHead.headers.hasChunkedTransferEncoding { headers.add(name: "transfer-encoding", value: "chunked") }
        var head = HTTPResponseHead(version: .http1_1, status: upstreamHead.status, headers: headers)
        if testCase.close { head.headers.replaceOrAdd(name: "connection", value: "close") }
        _ = ResponseEncoder.frame(&head, hasBody: head.status.mayHaveResponseBody)
        var parts = ByteBuffer()
        ResponseEncoder.write(head, into: &parts)

        #expect(String(buffer: relayed) == String(buffer: parts))
    }

    @Test func aLengthTheUpstreamsConnectionNamedIsNotRelayed() {
        var parser = ResponseHeadParser(maxHeadSize: 4096)
        let text = "HTTP/1.1 200 OK\r\nConnection: Content-Length\r\nContent-Length: 2\r\n\r\n"
        guard case .head(let raw, _) = parser.parse(ByteBuffer(string: text), requestMethod: .GET) else {
            Issue.record("the upstream head did not parse")
            return
        }
        var relayed = ByteBuffer()
        #expect(!RelayedResponseHead.write(raw, requestID: "r", close: false, into: &relayed))
    }

    @Test func valuesLoseTheirTrailingWhitespace() {
        var parser = ResponseHeadParser(maxHeadSize: 4096)
        guard case .head(let raw, _) = parser.parse(ByteBuffer(string: "HTTP/1.1 200 OK\r\nX-A: 1 \t\r\nContent-Length: 0\r\n\r\n"), requestMethod: .GET)
        else {
            Issue.record("the upstream head did not parse")
            return
        }
        var relayed = ByteBuffer()
        RelayedResponseHead.write(raw, requestID: "r", close: false, into: &relayed)
        #expect(String(buffer: relayed) == "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 0\r\nVia: 1.1 pasarela\r\nX-Request-Id: r\r\n\r\n")
    }
}
