import NIOCore
import Testing

@testable import Gateway

/// The router reads header conditions straight from a head parsed in place.
@Suite struct RawRequestHeadRouteHeadersTests {
    @Test func conditionsSeeEveryFieldOfTheNameInAnyCase() throws {
        var parser = RequestHeadParser(maxRequestLine: 1024, maxHeadSize: 4096)
        let text = "GET / HTTP/1.1\r\nHost: h\r\nX-Version: v1 \r\nx-version: v2\r\nX-Other: v3\r\n\r\n"
        guard case .head(let raw, _) = parser.parse(ByteBuffer(string: text)) else {
            Issue.record("the request did not parse")
            return
        }
        var seen: [String] = []
        #expect(!raw.containsValue(forName: "x-version") { seen.append(String($0)); return false })
        #expect(seen == ["v1", "v2"])
        #expect(raw.containsValue(forName: "x-version") { $0 == "v2" })
        #expect(!raw.containsValue(forName: "x-missing") { _ in true })
    }
}
