import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// `RequestHeadParser` and `RawRequestHead`: ranges, helpers, limits, incremental parsing.
@Suite struct WireRequestHeadTests {
    /// The range of the first occurrence of `needle` in `text` (UTF-8 offsets).
    func range(of needle: String, in text: String, after start: Int = 0) -> Range<Int> {
        let haystack = Array(text.utf8)
        let pattern = Array(needle.utf8)
        for offset in start...(haystack.count - pattern.count) where Array(haystack[offset..<(offset + pattern.count)]) == pattern
        {
            return offset..<(offset + pattern.count)
        }
        return 0..<0
    }

    static let sample =
        "POST /p?q=1 HTTP/1.1\r\nHost:  example.com \r\nX-Empty:\r\nX-Blank:  \t \r\nX-Tab:\t v \t w \t\r\n"
        + "content-length: 3\r\nExpect: 100-Continue\r\nX-Multi: a\r\nx-multi: b\r\n\r\n"

    @Test func rangesOfTheRequestLineAndFields() throws {
        let text = Self.sample
        let head = try #require(Wire.requestHead(text + "abc"))
        #expect(head.bytes.readableBytes == text.utf8.count)
        #expect(head.method == .POST)
        #expect(head.target == 5..<11)
        #expect(head.targetString == "/p?q=1")
        #expect(head.version == .http1_1)
        #expect(head.fields.count == 8)
        #expect(head.fields[0] == RawField(name: range(of: "Host", in: text), value: range(of: "example.com", in: text)))
        let empty = range(of: "X-Empty:", in: text)
        #expect(
            head.fields[1]
                == RawField(name: empty.lowerBound..<(empty.upperBound - 1), value: empty.upperBound..<empty.upperBound)
        )
        #expect(head.fields[2].value.isEmpty)
        #expect(head.fields[3].value == range(of: "v \t w", in: text))
        #expect(
            head.fields.map(head.name(of:)) == [
                "Host", "X-Empty", "X-Blank", "X-Tab", "content-length", "Expect", "X-Multi", "x-multi",
            ]
        )
        #expect(head.fields.map(head.value(of:)) == ["example.com", "", "", "v \t w", "3", "100-Continue", "a", "b"])
        #expect(head.host == range(of: "example.com", in: text))
        #expect(head.framing == .length(3))
        #expect(head.keepAlive)
        #expect(head.expectsContinue)
    }

    @Test func fieldHelpers() throws {
        let head = try #require(Wire.requestHead(Self.sample))
        #expect(head.firstValue(named: "HOST") == "example.com")
        #expect(head.firstValue(named: "x-multi") == "a")
        #expect(head.values(named: "X-MULTI") == ["a", "b"])
        #expect(head.values(named: "x-none").isEmpty)
        #expect(head.firstValue(named: "x-none") == nil)
        #expect(head.firstField(named: "Content-Length") == head.fields[4])
        #expect(head.field(head.fields[4], isNamed: "content-length" as StaticString))
        #expect(head.field(head.fields[0], isNamed: "host" as StaticString))
        #expect(!head.field(head.fields[0], isNamed: "hos" as StaticString))
        #expect(!head.field(head.fields[0], isNamed: "hostx" as StaticString))
        let name = String("x-multi")
        #expect(head.field(head.fields[6], isNamed: name))
        #expect(head.field(head.fields[7], isNamed: name))
        #expect(!head.field(head.fields[5], isNamed: name))
    }

    @Test func utf8ValuesDecodeAsUTF8() throws {
        let head = try #require(Wire.requestHead("GET / HTTP/1.1\r\nHost: x\r\nX-Name: café ☕\r\n\r\n"))
        #expect(head.firstValue(named: "x-name") == "café ☕")
    }

    @Test func makeHTTPRequestHeadIsWhatNIOGives() throws {
        let head = try #require(Wire.requestHead(Self.sample))
        let made = head.makeHTTPRequestHead()
        #expect(made.method == .POST)
        #expect(made.uri == "/p?q=1")
        #expect(made.version == .http1_1)
        // Like llhttp, the values keep their trailing whitespace (and lose the leading one).
        #expect(
            Wire.pairs(made.headers) == [
                "Host: example.com ", "X-Empty: ", "X-Blank: ", "X-Tab: v \t w \t", "content-length: 3",
                "Expect: 100-Continue", "X-Multi: a", "x-multi: b",
            ]
        )
        let nio = try #require(Wire.nioRequest(Wire.bytes(Self.sample)).head)
        #expect(made == nio)
        #expect(Wire.pairs(made.headers) == Wire.pairs(nio.headers))
    }

    @Test(arguments: [
        ("DELETE", HTTPMethod.DELETE), ("PATCH", .PATCH), ("OPTIONS", .OPTIONS), ("HEAD", .HEAD), ("PUT", .PUT),
        ("CONNECT", .CONNECT), ("TRACE", .TRACE), ("M-SEARCH", .MSEARCH), ("PROPFIND", .PROPFIND),
        ("UNSUBSCRIBE", .UNSUBSCRIBE), ("MKCALENDAR", .MKCALENDAR), ("SOURCE", .SOURCE), ("ACL", .ACL),
    ])
    func methodsMapToNIOsCases(spelling: String, method: HTTPMethod) throws {
        let head = try #require(Wire.requestHead("\(spelling) / HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(head.method == method)
    }

    @Test(arguments: ["MSEARCH", "PRI", "QUERY", "Get", "GETS", "G", "DESCRIBE", "RAW"])
    func otherMethodsAreRefused(spelling: String) {
        #expect(Wire.parseRequest(Wire.bytes("\(spelling) / HTTP/1.1\r\nHost: x\r\n\r\n")) == .failure(400))
    }

    @Test func expectOnlyCountsForHTTP11AndOnly100Continue() throws {
        let old = try #require(Wire.requestHead("POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n"))
        #expect(!old.expectsContinue)
        let other = try #require(Wire.requestHead("POST / HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n"))
        #expect(!other.expectsContinue)
    }

    @Test func keepAlive() throws {
        let cases: [(String, Bool)] = [
            ("GET / HTTP/1.1\r\nHost: x\r\n\r\n", true),
            ("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", true),
            ("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false),
            ("GET / HTTP/1.1\r\nHost: x\r\nConnection: x-foo\r\nConnection: Close\r\n\r\n", false),
            ("GET / HTTP/1.1\r\nHost: x\r\nConnection: closed\r\n\r\n", true),
            ("GET / HTTP/1.0\r\n\r\n", false),
            ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
            ("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false),
            ("POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n", false),
        ]
        for (text, keepAlive) in cases {
            #expect(Wire.requestHead(text)?.keepAlive == keepAlive, "\(text)")
        }
    }

    @Test func consumedStopsAtTheEndOfTheHead() {
        let head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n"
        let bytes = Wire.bytes(head + "abcGET / HTTP/1.1\r\n")
        guard case .head(_, let consumed) = Wire.parseRequest(bytes) else {
            Issue.record("no head")
            return
        }
        #expect(consumed == head.utf8.count)
    }

    @Test func incompleteHeadsNeedMore() {
        let text = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        let bytes = Wire.bytes(text)
        for length in 0..<bytes.count {
            #expect(Wire.parseRequest(Array(bytes[..<length])) == .needMore, "\(length) bytes")
        }
    }

    @Test func aFailureIsReturnedAgain() {
        var parser = RequestHeadParser(maxRequestLine: 100, maxHeadSize: 1000)
        let buffer = ByteBuffer(string: "GET / HTTP/1.1\nHost: x\r\n\r\n")
        guard case .failure(let first) = parser.parse(buffer), case .failure(let second) = parser.parse(buffer) else {
            Issue.record("expected failures")
            return
        }
        #expect(first == second)
        #expect(first.status == .badRequest)
        #expect(!first.reason.isEmpty)
    }

    @Test func aHeadIsReturnedAgain() {
        var parser = RequestHeadParser(maxRequestLine: 100, maxHeadSize: 1000)
        let buffer = ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\n")
        let first = Wire.summary(parser.parse(buffer))
        #expect(first.head != nil)
        #expect(Wire.summary(parser.parse(buffer)) == first)
    }

    @Test func fewerBytesThanBeforeStartOver() {
        var parser = RequestHeadParser(maxRequestLine: 100, maxHeadSize: 1000)
        let first = ByteBuffer(string: "GET /abc HTTP/1.1\r\nHost: x\r\n")
        #expect({ if case .needMore = parser.parse(first) { true } else { false } }())
        guard case .head(let head, let consumed) = parser.parse(ByteBuffer(string: "PUT / HTTP/1.1\r\nHost: y\r\n\r\n")) else {
            Issue.record("expected a head")
            return
        }
        #expect(head.method == .PUT)
        #expect(consumed == 27)
    }

    @Test func everySampleGivesTheSameOutcomeHoweverSplit() {
        for text in WireDifferentialTests.requests.map(\.text) + [Self.sample] {
            let bytes = Wire.bytes(text)
            let whole = Wire.parseRequest(bytes)
            for pieces in Wire.splittings(of: bytes.count, randomSplits: 12) {
                #expect(Wire.parseRequest(bytes, pieces: pieces) == whole, "\(text.debugDescription) in \(pieces)")
            }
        }
    }

    // MARK: Limits

    /// A request line of exactly `length` bytes (CRLF excluded).
    func requestLine(length: Int) -> String {
        "GET /" + String(repeating: "a", count: length - 14) + " HTTP/1.1"
    }

    @Test func requestLineAtTheLimitIsAccepted() {
        let text = requestLine(length: 40) + "\r\nHost: x\r\n\r\n"
        #expect(Wire.parseRequest(Wire.bytes(text), maxRequestLine: 40, maxHeadSize: 1000).head != nil)
    }

    @Test func requestLineJustPastTheLimitIs414() {
        let bytes = Wire.bytes(requestLine(length: 41) + "\r\nHost: x\r\n\r\n")
        for pieces in Wire.splittings(of: bytes.count) {
            #expect(Wire.parseRequest(bytes, pieces: pieces, maxRequestLine: 40, maxHeadSize: 1000) == .failure(414))
        }
    }

    @Test func aLongRequestLineIs414BeforeItEnds() {
        let line = Wire.bytes(requestLine(length: 41))
        // 41 bytes: an LF may still come (and make it a bare LF, 400); 42 bytes without one: 414.
        #expect(Wire.parseRequest(Array(line[..<41]), maxRequestLine: 40, maxHeadSize: 1000) == .needMore)
        #expect(Wire.parseRequest(Wire.bytes(requestLine(length: 42)), maxRequestLine: 40, maxHeadSize: 1000) == .failure(414))
        #expect(Wire.parseRequest(line + [0x0A], maxRequestLine: 40, maxHeadSize: 1000) == .failure(400))
        // 40 bytes and CR: the LF may still come.
        let atLimit = Wire.bytes(requestLine(length: 40) + "\r")
        #expect(Wire.parseRequest(atLimit, maxRequestLine: 40, maxHeadSize: 1000) == .needMore)
        #expect(Wire.parseRequest(atLimit + [0x0A], maxRequestLine: 40, maxHeadSize: 1000) == .needMore)
    }

    /// A head of exactly `length` bytes (final CRLF CRLF included).
    func head(length: Int) -> String {
        let base = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: \r\n\r\n"
        return "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + String(repeating: "p", count: length - base.utf8.count) + "\r\n\r\n"
    }

    @Test func headAtTheLimitIsAccepted() {
        let bytes = Wire.bytes(head(length: 100))
        #expect(bytes.count == 100)
        for pieces in Wire.splittings(of: bytes.count) {
            #expect(Wire.parseRequest(bytes, pieces: pieces, maxRequestLine: 50, maxHeadSize: 100).head != nil)
        }
    }

    @Test func headJustPastTheLimitIs431() {
        let bytes = Wire.bytes(head(length: 101))
        for pieces in Wire.splittings(of: bytes.count) {
            #expect(Wire.parseRequest(bytes, pieces: pieces, maxRequestLine: 50, maxHeadSize: 100) == .failure(431))
        }
        // Known as soon as 100 bytes hold no end of head.
        #expect(Wire.parseRequest(Array(bytes[..<99]), maxRequestLine: 50, maxHeadSize: 100) == .needMore)
        #expect(Wire.parseRequest(Array(bytes[..<100]), maxRequestLine: 50, maxHeadSize: 100) == .failure(431))
    }

    @Test func emptyLinesBeforeTheRequestCountTowardsTheHeadLimit() {
        let bytes = Wire.bytes("\r\n" + head(length: 100))
        #expect(Wire.parseRequest(bytes, maxRequestLine: 50, maxHeadSize: 100) == .failure(431))
        #expect(Wire.parseRequest(bytes, maxRequestLine: 50, maxHeadSize: 102).head != nil)
    }

    @Test func theLimitReachedFirstDecides() {
        // The request line (60 bytes) would break both limits; the head limit comes first.
        let bytes = Wire.bytes(requestLine(length: 60) + "\r\nHost: x\r\n\r\n")
        #expect(Wire.parseRequest(bytes, maxRequestLine: 50, maxHeadSize: 30) == .failure(431))
        #expect(Wire.parseRequest(bytes, maxRequestLine: 50, maxHeadSize: 52) == .failure(414))
        #expect(Wire.parseRequest(bytes, maxRequestLine: 50, maxHeadSize: 51) == .failure(431))
    }

    @Test func aSyntaxErrorBeforeTheLimitIs400() {
        let bytes = Wire.bytes("GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n" + String(repeating: "X-A: b\r\n", count: 20))
        #expect(Wire.parseRequest(bytes, maxRequestLine: 50, maxHeadSize: 100) == .failure(400))
    }
}
