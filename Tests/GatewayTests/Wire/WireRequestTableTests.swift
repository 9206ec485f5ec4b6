import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// The behaviour the gateway has today through llhttp (black-box tests rely on it), plus two
/// RFC 9112 §3.2 fixes (marked NEW): each row fed whole, byte by byte and in random splits.
@Suite struct WireRequestTableTests {
    struct Row: Sendable, CustomTestStringConvertible {
        enum Expected: Sendable {
            case status(UInt)
            case ok(framing: RequestFraming, keepAlive: Bool = true, target: String = "/")
        }

        let name: String
        let text: String
        let expected: Expected

        init(_ name: String, _ text: String, _ expected: Expected) {
            self.name = name
            self.text = text
            self.expected = expected
        }

        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row("bare LF line endings", "GET / HTTP/1.1\nHost: x\n\n", .status(400)),
        Row("bare LF at the end only", "GET / HTTP/1.1\r\nHost: x\r\n\n", .status(400)),
        Row("bare CR inside a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: b\rc\r\n\r\n", .status(400)),
        Row("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n", .status(400)),
        Row("obs-fold with HTAB", "GET / HTTP/1.1\r\nHost: x\r\nX-A: b\r\n\tc\r\n\r\n", .status(400)),
        Row("space in a field name", "GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n", .status(400)),
        Row("space before the colon", "GET / HTTP/1.1\r\nHost: x\r\nBad : 1\r\n\r\n", .status(400)),
        Row("empty field name", "GET / HTTP/1.1\r\nHost: x\r\n: empty\r\n\r\n", .status(400)),
        Row(
            "two equal Content-Length fields",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
            .status(400)
        ),
        Row("Content-Length list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\n", .status(400)),
        Row("Content-Length +1", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\n", .status(400)),
        Row("Content-Length empty", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n", .status(400)),
        Row("Content-Length 1a", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1a\r\n\r\n", .status(400)),
        Row(
            "Content-Length overflow",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
            .status(400)
        ),
        Row("Content-Length 5", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n", .ok(framing: .length(5))),
        Row(
            "Transfer-Encoding gzip, chunked",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            .ok(framing: .chunked)
        ),
        Row("Transfer-Encoding gzip", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", .status(400)),
        Row(
            "Transfer-Encoding chunked, gzip",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            .status(400)
        ),
        Row(
            "Transfer-Encoding Chunked",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n",
            .ok(framing: .chunked)
        ),
        Row(
            "Transfer-Encoding twice",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            .status(400)
        ),
        Row(
            "Transfer-Encoding then Content-Length",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
            .status(400)
        ),
        Row(
            "Content-Length then Transfer-Encoding",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            .status(400)
        ),
        Row("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", .ok(framing: .none, keepAlive: false)),
        Row(
            "HTTP/1.0 with keep-alive",
            "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
            .ok(framing: .none, keepAlive: true)
        ),
        Row(
            "HTTP/1.1 with close",
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade, CLOSE\r\n\r\n",
            .ok(framing: .none, keepAlive: false)
        ),
        Row("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", .status(400)),
        Row("HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", .status(400)),
        Row("HTTP/0.9", "GET / HTTP/0.9\r\nHost: x\r\n\r\n", .status(400)),
        Row("HTTP/3.0", "GET / HTTP/3.0\r\nHost: x\r\n\r\n", .status(400)),
        Row("no version", "GET /\r\nHost: x\r\n\r\n", .status(400)),
        Row("lowercase http", "GET / http/1.1\r\nHost: x\r\n\r\n", .status(400)),
        Row("two spaces after the method", "GET  /api/ HTTP/1.1\r\nHost: x\r\n\r\n", .ok(framing: .none, target: "/api/")),
        Row("lowercase method", "get / HTTP/1.1\r\nHost: x\r\n\r\n", .status(400)),
        Row("unknown method", "FOO / HTTP/1.1\r\nHost: x\r\n\r\n", .status(400)),
        Row("NUL in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{0}b\r\n\r\n", .status(400)),
        Row("0x01 in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{1}b\r\n\r\n", .status(400)),
        Row("0x08 in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{8}b\r\n\r\n", .status(400)),
        Row("0x0B in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{B}b\r\n\r\n", .status(400)),
        Row("0x1F in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{1F}b\r\n\r\n", .status(400)),
        Row("DEL in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{7F}b\r\n\r\n", .status(400)),
        Row("HTAB inside a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\tb\r\n\r\n", .ok(framing: .none)),
        Row("UTF-8 in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: café\r\n\r\n", .ok(framing: .none)),
        Row("control byte in the target", "GET /a\u{1}b HTTP/1.1\r\nHost: x\r\n\r\n", .status(400)),
        Row("HTAB in the target", "GET /a\tb HTTP/1.1\r\nHost: x\r\n\r\n", .status(400)),
        Row("DEL in the target", "GET /a\u{7F}b HTTP/1.1\r\nHost: x\r\n\r\n", .status(400)),
        Row("UTF-8 in the target", "GET /café HTTP/1.1\r\nHost: x\r\n\r\n", .status(400)),
        Row("space inside the target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", .status(400)),
        Row(
            "absolute-form target",
            "GET http://x/api/ HTTP/1.1\r\nHost: x\r\n\r\n",
            .ok(framing: .none, target: "http://x/api/")
        ),
        Row("asterisk-form target", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", .status(400)),
        Row("asterisk-form OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", .status(400)),
        Row("leading SP before the method", " GET / HTTP/1.1\r\nHost: x\r\n\r\n", .status(400)),
        Row("one empty line first", "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", .ok(framing: .none)),
        Row("three empty lines first", "\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", .ok(framing: .none)),
        Row("NEW: HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", .status(400)),
        Row("NEW: two Host fields", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", .status(400)),
        Row("NEW: two Host fields in HTTP/1.0", "GET / HTTP/1.0\r\nHost: x\r\nhost: x\r\n\r\n", .status(400)),
    ]

    @Test(arguments: rows)
    func row(_ row: Row) {
        let bytes = Wire.bytes(row.text)
        let whole = Wire.parseRequest(bytes)
        switch row.expected {
        case .status(let status):
            #expect(whole == .failure(status))
        case .ok(let framing, let keepAlive, let target):
            guard case .head(let head, let consumed) = whole else {
                Issue.record("expected a head, got \(whole)")
                return
            }
            #expect(consumed == bytes.count)
            #expect(head.framing == framing)
            #expect(head.keepAlive == keepAlive)
            #expect(head.target == target)
        }
        for pieces in Wire.splittings(of: bytes.count) {
            #expect(Wire.parseRequest(bytes, pieces: pieces) == whole, "pieces \(pieces)")
        }
    }

    @Test func emptyLinesBeforeTheRequestLineAreConsumedButNotPartOfTheHead() throws {
        let bytes = Wire.bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nrest")
        guard case .head(let head, let consumed) = Wire.parseRequest(bytes) else {
            Issue.record("no head")
            return
        }
        #expect(consumed == bytes.count - 4)
        #expect(head.bytes == Wire.bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(head.fields == [RawField(name: 16..<20, value: 22..<23)])
    }

    /// Like llhttp, any CR and LF bytes before the request line are skipped, CRLF pairs or not.
    @Test(arguments: ["\n", "\r", "\n\n", "\r\r\n", "\n\r"])
    func strayLineBreaksBeforeTheRequestLineAreSkipped(_ prefix: String) {
        let head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        let bytes = Wire.bytes(prefix + head)
        guard case .head(let parsed, let consumed) = Wire.parseRequest(bytes) else {
            Issue.record("no head")
            return
        }
        #expect(consumed == bytes.count)
        #expect(parsed.bytes == Wire.bytes(head))
        for pieces in Wire.splittings(of: bytes.count) {
            #expect(Wire.parseRequest(bytes, pieces: pieces) == .head(parsed, consumed: consumed))
        }
    }

    @Test func onlyLineBreaksNeedMoreUntilTheHeadLimit() {
        #expect(Wire.parseRequest(Wire.bytes("\r\n\r\n\n")) == .needMore)
        #expect(Wire.parseRequest(Wire.bytes(String(repeating: "\r\n", count: 50)), maxHeadSize: 100) == .failure(431))
        #expect(Wire.parseRequest(Wire.bytes(String(repeating: "\r\n", count: 50)), maxHeadSize: 101) == .needMore)
    }
}
