import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Gateway

/// The upstream request head written as bytes is the one the parts path sends, byte for byte
/// (`UpstreamRequestBuilder.build`, then NIO's request encoder).
@Suite struct RawUpstreamRequestTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let request: String
        var trusted = false
        var preserveHost = false
        var prefix: String? = "/api"
        var testDescription: String {
            "\(request.prefix(50).debugDescription) trusted \(trusted) preserve \(preserveHost) prefix \(prefix ?? "-")"
        }
    }

    static let cases: [Case] = [
        Case(request: "GET /api/users?id=7 HTTP/1.1\r\nHost: api.example.com:8000\r\n\r\n"),
        Case(request: "GET /api/users HTTP/1.1\r\nHost: api.example.com:8000\r\nAccept: */*\r\nUser-Agent: t/1\r\n\r\n", preserveHost: true),
        Case(
            request: "POST /api/users HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nConnection: keep-alive, X-Private\r\nX-Private: 1\r\n"
                + "Keep-Alive: timeout=5\r\nTE: trailers\r\nUpgrade: h2c\r\nProxy-Authorization: p\r\nExpect: 100-continue\r\n"
                + "Via: 1.0 a\r\nX-Request-Id: client-id\r\nX-Real-IP: 6.6.6.6\r\nX-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 2.2.2.2, 3.3.3.3\r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: spoof\r\nX-Forwarded-Port: 1\r\nX-Forwarded-Path: /x\r\nX-Forwarded-Prefix: /p\r\n"
                + "Cookie: a=1\r\n\r\n"
        ),
        Case(
            request: "GET /api/users HTTP/1.1\r\nHost: h:1\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: outer\r\nX-Forwarded-Prefix: /p\r\n"
                + "x-forwarded-port: 443\r\nVia: 1.1 lb\r\n\r\n",
            trusted: true
        ),
        Case(request: "GET /api/users HTTP/1.1\r\nHost: h\r\nX-Forwarded-Prefix: /p\r\n\r\n", trusted: true, prefix: nil),
        Case(request: "GET /api/users HTTP/1.1\r\nHost: h\r\nX-Forwarded-Prefix: /p\r\n\r\n", trusted: false, prefix: nil),
        Case(request: "DELETE /api/users HTTP/1.1\r\nHost: [::1]:8000\r\nConnection: Via\r\nVia: 1.1 hidden\r\n\r\n"),
        Case(request: "GET /api/users HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
        Case(request: "PUT /api/users HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nx-lower: v\r\n\r\n"),
    ]

    static let endpoint = HTTPEndpoint(scheme: "http", host: "10.0.0.5", port: 8080)

    @Test(arguments: cases)
    func sameHeadAsThePartsPath(_ testCase: Case) throws {
        var parser = RequestHeadParser(maxRequestLine: 1024, maxHeadSize: 8192)
        guard case .head(let raw, _) = parser.parse(ByteBuffer(string: testCase.request)) else {
            Issue.record("the request did not parse")
            return
        }
        let head = raw.makeHTTPRequestHead()
        let context = RequestContext(
            eventLoop: EmbeddedEventLoop(),
            requestID: "req-1",
            head: head,
            path: "/api/users",
            query: head.uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init),
            peerAddress: nil,
            clientIP: "192.0.2.10",
            clientScheme: "http"
        )
        context.upstreamPath = "/users"
        context.strippedPrefix = testCase.prefix
        let route = ProxyRoute(id: "r", name: "r", service: nil, stripPath: true, preserveHost: testCase.preserveHost, chain: .empty)
        let client = UpstreamRequestBuilder.ClientInfo(
            peerIP: "192.0.2.10",
            clientIP: testCase.trusted ? "198.51.100.1" : "192.0.2.10",
            peerIsTrusted: testCase.trusted,
            scheme: "http",
            listenPort: 8000
        )
        #expect(RawUpstreamRequest.canWrite(raw, method: head.method, bodyReplaced: false))

        var written = ByteBuffer()
        RawUpstreamRequest.write(raw, context: context, route: route, endpoint: Self.endpoint, client: client, into: &written)

        let built = UpstreamRequestBuilder.build(context: context, route: route, endpoint: Self.endpoint, client: client)
        let channel = EmbeddedChannel(handler: HTTPRequestEncoder())
        try channel.writeOutbound(HTTPClientRequestPart.head(built))
        var encoded = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = data { encoded += String(buffer: buffer) }
        }
        _ = try channel.finish()
        #expect(String(buffer: written) == encoded)
    }

    @Test func bodiesThatWouldBeReframedGoThePartsPath() throws {
        func raw(_ text: String) throws -> RawRequestHead {
            var parser = RequestHeadParser(maxRequestLine: 1024, maxHeadSize: 8192)
            guard case .head(let head, _) = parser.parse(ByteBuffer(string: text)) else { throw ParseFailed() }
            return head
        }
        let chunked = try raw("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(!RawUpstreamRequest.canWrite(chunked, method: .POST, bodyReplaced: false))
        let bodyless = try raw("POST / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(!RawUpstreamRequest.canWrite(bodyless, method: .POST, bodyReplaced: false))
        #expect(RawUpstreamRequest.canWrite(bodyless, method: .GET, bodyReplaced: false))
        let sized = try raw("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n")
        #expect(RawUpstreamRequest.canWrite(sized, method: .POST, bodyReplaced: false))
        #expect(!RawUpstreamRequest.canWrite(sized, method: .POST, bodyReplaced: true))
        #expect(!RawUpstreamRequest.canWrite(sized, method: .TRACE, bodyReplaced: false))
    }

    struct ParseFailed: Error {}
}
