import NIOHTTP1
import Testing

@testable import Gateway

@Suite struct HopByHopTests {
    @Test func stripsStandardAndConnectionNamedHeaders() {
        var headers: HTTPHeaders = [
            "Host": "x", "Connection": "keep-alive, X-Secret, close", "X-Secret": "1", "KEEP-ALIVE": "timeout=5",
            "Transfer-Encoding": "chunked", "TE": "trailers", "Upgrade": "h2c", "Proxy-Authorization": "p",
            "Proxy-Connection": "keep-alive", "Trailer": "x", "Proxy-Authenticate": "y", "X-Kept": "yes",
        ]
        HopByHop.strip(&headers)
        #expect(headers.map(\.name) == ["Host", "X-Kept"])
    }

    @Test func leavesOrdinaryHeadersAlone() {
        var headers: HTTPHeaders = ["Host": "x", "Content-Length": "3", "X-Te": "1", "Trailers": "no"]
        HopByHop.strip(&headers)
        #expect(headers.count == 4)
    }

    @Test func detectsChunkedCaseInsensitively() {
        #expect(HTTPHeaders([("transfer-ENCODING", "gzip, Chunked")]).hasChunkedTransferEncoding)
        #expect(!HTTPHeaders([("Transfer-Encoding", "gzip")]).hasChunkedTransferEncoding)
        #expect(!HTTPHeaders([("X-Transfer-Encoding", "chunked")]).hasChunkedTransferEncoding)
    }

    @Test(arguments: [
        ("keep-alive", [String]()), ("Keep-Alive", []), ("close", []), ("CLOSE", []), ("", []),
        ("keep-alive, X-Foo", ["x-foo"]), ("X-Foo ,x-bar, x-foo", ["x-foo", "x-bar"]), ("close,Upgrade", ["upgrade"]),
    ])
    func connectionTokensAreTheNamesItLists(value: String, expected: [String]) {
        var tokens: [String] = []
        HopByHop.appendConnectionTokens(of: value, to: &tokens)
        #expect(tokens == expected)
    }
}

