import NIOHTTP1
import Testing

@testable import Gateway

/// The upstream response's headers as the client gets them, header by header and in order.
@Suite struct DownstreamHeadersTests {
    func pairs(_ headers: HTTPHeaders) -> [String] { headers.map { "\($0.name): \($0.value)" } }

    @Test func keepsTheUpstreamsHeadersAndAddsViaAndRequestID() {
        let headers = ProxyExchange.downstreamHeaders(
            of: ["Content-Type": "text/plain", "Content-Length": "3", "Connection": "keep-alive"],
            requestID: "req-1"
        )
        #expect(pairs(headers) == ["Content-Type: text/plain", "Content-Length: 3", "Via: 1.1 pasarela", "X-Request-Id: req-1"])
    }

    @Test func dropsHopByHopAndConnectionNamedHeadersAndChainsVia() {
        let headers = ProxyExchange.downstreamHeaders(
            of: [
                "Connection": "close, X-Internal", "X-Internal": "secret", "Keep-Alive": "timeout=5",
                "Transfer-Encoding": "chunked", "Trailer": "X-Sum", "Upgrade": "h2c", "Proxy-Authenticate": "Basic",
                "VIA": "1.1 inner", "Via": "1.0 cache", "x-request-id": "upstream-id", "ETag": "\"1\"",
            ],
            requestID: "req-2"
        )
        #expect(pairs(headers) == ["ETag: \"1\"", "Via: 1.1 inner, 1.0 cache, 1.1 pasarela", "X-Request-Id: req-2"])
    }

    @Test func aConnectionHeaderAlsoRemovesTheHeadersBeforeIt() {
        let headers = ProxyExchange.downstreamHeaders(
            of: ["X-Internal": "secret", "Via": "1.1 inner", "ETag": "\"1\"", "Connection": "x-internal, Via"],
            requestID: "req-3"
        )
        #expect(pairs(headers) == ["ETag: \"1\"", "Via: 1.1 pasarela", "X-Request-Id: req-3"])
    }
}

