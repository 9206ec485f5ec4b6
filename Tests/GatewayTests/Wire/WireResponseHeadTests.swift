import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// `ResponseHeadParser` and `RawResponseHead`: framing, keep-alive, status, limits, splits.
@Suite struct WireResponseHeadTests {
    struct FramingCase: Sendable, CustomTestStringConvertible {
        let text: String
        let method: HTTPMethod
        let framing: ResponseFraming
        let keepAlive: Bool

        init(_ method: HTTPMethod, _ text: String, _ framing: ResponseFraming, keepAlive: Bool) {
            self.method = method
            self.text = text
            self.framing = framing
            self.keepAlive = keepAlive
        }

        var testDescription: String { "\(method) → \(text.prefix(while: { $0 != "\r" }))" }
    }

    static let framingCases: [FramingCase] = [
        FramingCase(.HEAD, "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n", .none, keepAlive: true),
        FramingCase(.HEAD, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", .none, keepAlive: true),
        FramingCase(.POST, "HTTP/1.1 100 Continue\r\n\r\n", .none, keepAlive: true),
        FramingCase(.GET, "HTTP/1.1 103 Early Hints\r\nLink: <a>\r\n\r\n", .none, keepAlive: true),
        FramingCase(.GET, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", .none, keepAlive: true),
        FramingCase(.DELETE, "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", .none, keepAlive: true),
        FramingCase(.GET, "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", .none, keepAlive: true),
        FramingCase(.CONNECT, "HTTP/1.1 200 OK\r\n\r\n", .none, keepAlive: true),
        FramingCase(.CONNECT, "HTTP/1.1 407 Auth\r\nContent-Length: 3\r\n\r\n", .length(3), keepAlive: true),
        FramingCase(.GET, "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n", .length(12), keepAlive: true),
        FramingCase(.GET, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", .length(0), keepAlive: true),
        FramingCase(.GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", .chunked, keepAlive: true),
        FramingCase(.POST, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, CHUNKED\r\n\r\n", .chunked, keepAlive: true),
        FramingCase(.GET, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", .untilClose, keepAlive: false),
        FramingCase(.GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", .untilClose, keepAlive: false),
        FramingCase(.GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", .untilClose, keepAlive: false),
        FramingCase(.GET, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\n", .length(1), keepAlive: false),
        FramingCase(.GET, "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", .length(1), keepAlive: false),
        FramingCase(.GET, "HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\n", .length(1), keepAlive: true),
        FramingCase(.GET, "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n", .untilClose, keepAlive: false),
    ]

    @Test(arguments: framingCases)
    func framing(_ sample: FramingCase) throws {
        let bytes = Wire.bytes(sample.text)
        let whole = Wire.parseResponse(bytes, method: sample.method)
        let head = try #require(whole.head)
        #expect(head.framing == sample.framing)
        #expect(head.keepAlive == sample.keepAlive)
        #expect(whole == .head(head, consumed: bytes.count))
        for pieces in Wire.splittings(of: bytes.count) {
            #expect(Wire.parseResponse(bytes, method: sample.method, pieces: pieces) == whole, "pieces \(pieces)")
        }
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
        "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: b\rc\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: b\r\n\tc\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: empty\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: \u{7F}\r\n\r\n",
        "HTTP/1.1 200 O\u{1}K\r\n\r\n",
        "HTTP/1.2 200 OK\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1  200 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "http/1.1 200 OK\r\n\r\n",
        " HTTP/1.1 200 OK\r\n\r\n",
    ])
    func invalidHeadsAre502(_ text: String) {
        let bytes = Wire.bytes(text)
        for pieces in Wire.splittings(of: bytes.count) {
            #expect(Wire.parseResponse(bytes, pieces: pieces) == .failure(502), "pieces \(pieces)")
        }
    }

    @Test func statusCodeAndReasonAsSent() throws {
        let known = try #require(Wire.responseHead("HTTP/1.1 404 Nada\r\nContent-Length: 0\r\n\r\n"))
        #expect(known.statusCode == 404)
        #expect(known.reasonString == "Nada")
        #expect(known.status == .notFound)
        #expect(known.makeHTTPResponseHead().status == .notFound)

        let custom = try #require(Wire.responseHead("HTTP/1.1 299 All Fine\r\nContent-Length: 0\r\n\r\n"))
        #expect(custom.statusCode == 299)
        #expect(custom.status == .custom(code: 299, reasonPhrase: "All Fine"))
        // NIO's decoder drops the reason phrase of codes it has no case for.
        #expect(custom.makeHTTPResponseHead().status == .custom(code: 299, reasonPhrase: ""))

        let bare = try #require(Wire.responseHead("HTTP/1.1 204\r\n\r\n"))
        #expect(bare.statusCode == 204)
        #expect(bare.reason.isEmpty)
        let tab = try #require(Wire.responseHead("HTTP/1.1 200 A\tB\r\n\r\n"))
        #expect(tab.reasonString == "A\tB")
    }

    @Test func rangesAndHelpers() throws {
        let text =
            "HTTP/1.1 200 OK\r\nContent-Type:  text/plain \r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 2\r\n\r\n"
        let head = try #require(Wire.responseHead(text + "ok"))
        #expect(head.bytes.readableBytes == text.utf8.count)
        #expect(head.reason == 13..<15)
        #expect(head.fields.first == RawField(name: 17..<29, value: 32..<42))
        #expect(head.firstValue(named: "content-type") == "text/plain")
        #expect(head.values(named: "Set-Cookie") == ["a=1", "b=2"])
        #expect(head.field(head.fields[3], isNamed: "content-length" as StaticString))
        #expect(
            Wire.pairs(head.makeHTTPResponseHead().headers) == [
                "Content-Type: text/plain ", "Set-Cookie: a=1", "set-cookie: b=2", "Content-Length: 2",
            ]
        )
    }

    @Test func informationalHeadThenTheRealOne() throws {
        let first = "HTTP/1.1 100 Continue\r\n\r\n"
        let second = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        var buffer = ByteBuffer(string: first + second)
        var parser = ResponseHeadParser(maxHeadSize: 1000)
        guard case .head(let informational, let consumed) = parser.parse(buffer, requestMethod: .POST) else {
            Issue.record("no first head")
            return
        }
        #expect(informational.isInformational)
        #expect(informational.framing == .none)
        #expect(consumed == first.utf8.count)
        buffer.moveReaderIndex(forwardBy: consumed)
        parser = ResponseHeadParser(maxHeadSize: 1000)
        guard case .head(let final, let finalConsumed) = parser.parse(buffer, requestMethod: .POST) else {
            Issue.record("no second head")
            return
        }
        #expect(!final.isInformational)
        #expect(final.statusCode == 200)
        #expect(final.framing == .length(2))
        #expect(finalConsumed == second.utf8.count - 2)
        #expect(final.bytes.readableBytes == finalConsumed)
    }

    @Test func emptyLinesBeforeTheStatusLineAreConsumedButNotPartOfTheHead() throws {
        let bytes = Wire.bytes("\r\n\n\rHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        guard case .head(let head, let consumed) = Wire.parseResponse(bytes) else {
            Issue.record("no head")
            return
        }
        #expect(consumed == bytes.count - 2)
        #expect(head.bytes == Wire.bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"))
        #expect(head.fields == [RawField(name: 17..<31, value: 33..<34)])
        #expect(head.reason == "OK")
    }

    @Test func headLimit() {
        let base = "HTTP/1.1 200 OK\r\nX-Pad: \r\n\r\n"
        let exact = Wire.bytes("HTTP/1.1 200 OK\r\nX-Pad: " + String(repeating: "p", count: 100 - base.utf8.count) + "\r\n\r\n")
        #expect(exact.count == 100)
        #expect(Wire.parseResponse(exact, maxHeadSize: 100).head != nil)
        #expect(Wire.parseResponse(exact, maxHeadSize: 99) == .failure(502))
        #expect(Wire.parseResponse(Array(exact[..<99]), maxHeadSize: 99) == .failure(502))
        #expect(Wire.parseResponse(Array(exact[..<98]), maxHeadSize: 99) == .needMore)
    }

    @Test func everySampleGivesTheSameOutcomeHoweverSplit() {
        for sample in WireDifferentialTests.responses {
            let bytes = Wire.bytes(sample.text)
            let whole = Wire.parseResponse(bytes, method: sample.method)
            for pieces in Wire.splittings(of: bytes.count, randomSplits: 12) {
                #expect(Wire.parseResponse(bytes, method: sample.method, pieces: pieces) == whole, "\(sample.name) in \(pieces)")
            }
        }
    }
}
