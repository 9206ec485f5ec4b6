import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// The wire parsers against NIO's own decoders (llhttp, what the gateway runs today): whenever both
/// accept a head they must give the same `HTTPRequestHead`/`HTTPResponseHead` (fields in order), and
/// they must agree on accepting or refusing, except where a case documents why not.
@Suite struct WireDifferentialTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        /// Why NIO's decoder accepts this head while the parser refuses it (nil: they agree).
        let onlyNIOAccepts: String?
        var method: HTTPMethod = .GET

        init(_ name: String, _ text: String, onlyNIOAccepts: String? = nil, method: HTTPMethod = .GET) {
            self.name = name
            self.text = text
            self.onlyNIOAccepts = onlyNIOAccepts
            self.method = method
        }

        var testDescription: String { name }
    }

    static let chromeHead = """
        GET /api/v1/orders?page=2&sort=-created HTTP/1.1\r
        Host: gateway.example.com\r
        Connection: keep-alive\r
        sec-ch-ua: "Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"\r
        sec-ch-ua-mobile: ?0\r
        sec-ch-ua-platform: "macOS"\r
        Upgrade-Insecure-Requests: 1\r
        User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r
        Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r
        Sec-Fetch-Site: none\r
        Sec-Fetch-Mode: navigate\r
        Sec-Fetch-User: ?1\r
        Sec-Fetch-Dest: document\r
        Accept-Encoding: gzip, deflate, br, zstd\r
        Accept-Language: es-ES,es;q=0.9,en;q=0.8\r
        Cookie: _ga=GA1.1.1234567890.1700000000; session=\(String(repeating: "aZ09-_", count: 700)); theme=dark\r
        If-None-Match: W/"5e15153d-120f"\r
        \r

        """

    static let requests: [Sample] = [
        // Valid heads, realistic and odd.
        Sample("Chrome navigation with a long cookie", chromeHead),
        Sample(
            "curl",
            "GET /api/v1/items?x=1 HTTP/1.1\r\nHost: localhost:8000\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
        ),
        Sample("wrk", "GET / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n"),
        Sample(
            "JSON POST",
            "POST /payments HTTP/1.1\r\nHost: api\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: 27\r\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc\r\n"
                + "X-Request-Id: 1b4e28ba-2fa1-11d2-883f-0016d3cca427\r\n\r\n"
        ),
        Sample("chunked upload", "PUT /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"),
        Sample("UTF-8 values", "GET / HTTP/1.1\r\nHost: x\r\nX-Name: José Müller ☕\r\nX-Emoji: 🎉\r\n\r\n"),
        Sample("invalid UTF-8 value", "GET / HTTP/1.1\r\nHost: x\r\nX-Bytes: a\u{FF}b\r\n\r\n"),
        Sample("empty values", "GET / HTTP/1.1\r\nHost: x\r\nX-Empty:\r\nX-Blank:   \r\nX-Last:\r\n\r\n"),
        Sample("OWS around values", "GET / HTTP/1.1\r\nHost: x\r\nX-A: \t padded \t \r\nX-B:tight\r\n\r\n"),
        Sample("HTAB inside a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\tb\r\n\r\n"),
        Sample("repeated fields keep their order", "GET / HTTP/1.1\r\nAccept: a\r\nHost: x\r\naccept: b\r\nACCEPT: c\r\n\r\n"),
        Sample("every token byte in a name", "GET / HTTP/1.1\r\nHost: x\r\nX-!#$%&'*+-.^_`|~09: v\r\n\r\n"),
        Sample("HTTP/1.0 without Host", "GET /legacy HTTP/1.0\r\nUser-Agent: ApacheBench/2.3\r\n\r\n"),
        Sample("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nHost: x\r\nConnection: Keep-Alive\r\n\r\n"),
        Sample("absolute-form", "GET http://x/api/?a=b HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("two spaces after the method", "GET  /api/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("empty lines first", "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        // llhttp skips any CR and LF bytes before the request line, not only CRLF pairs.
        Sample("LF first", "\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("CR first", "\rGET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("CR CR LF first", "\r\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("LF CR first", "\n\rGET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("Transfer-Encoding gzip, chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
        Sample("Transfer-Encoding Chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n"),
        Sample("DELETE with a query", "DELETE /items/7?force=true HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
        Sample("PATCH", "PATCH /items/7 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n"),
        Sample(
            "OPTIONS preflight",
            "OPTIONS /api HTTP/1.1\r\nHost: x\r\nOrigin: https://app\r\nAccess-Control-Request-Method: PUT\r\n\r\n"
        ),
        Sample("M-SEARCH", "M-SEARCH / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("PROPFIND", "PROPFIND /dav HTTP/1.1\r\nHost: x\r\nDepth: 1\r\n\r\n"),
        Sample("fragment in the target", "GET /a#frag HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("odd target bytes", "GET /a\"b{c}|d\\e^f`g HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("Content-Length with leading zeros and OWS", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:  007 \r\n\r\n"),
        Sample("two spaces before the version", "GET /  HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("absolute-form without a path", "GET http://x HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("HTTP/1.0 chunked", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
        Sample("Connection: keep-alive, close", "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, close\r\n\r\n"),
        Sample("HTAB-only value", "GET / HTTP/1.1\r\nHost: x\r\nX-A:\t\r\n\r\n"),
        // Invalid heads, refused by both.
        Sample("bare LF", "GET / HTTP/1.1\nHost: x\n\n"),
        Sample("SP after the version", "GET / HTTP/1.1 \r\nHost: x\r\n\r\n"),
        Sample("HTAB between method and target", "GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("field line without a colon", "GET / HTTP/1.1\r\nHost: x\r\nX-A\r\n\r\n"),
        Sample("Transfer-Encoding chunked, chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"),
        Sample("Transfer-Encoding chunked;x=1", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;x=1\r\n\r\n"),
        Sample("Content-Length 1 1", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1 1\r\n\r\n"),
        Sample("Http lowercase", "GET / Http/1.1\r\nHost: x\r\n\r\n"),
        Sample("MSEARCH spelt without the dash", "MSEARCH / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("SOURCE", "SOURCE / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("PRI", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),

        Sample("bare CR in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: b\rc\r\n\r\n"),
        Sample("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n"),
        Sample("space in a field name", "GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n"),
        Sample("space before the colon", "GET / HTTP/1.1\r\nHost: x\r\nBad : 1\r\n\r\n"),
        Sample("empty field name", "GET / HTTP/1.1\r\nHost: x\r\n: empty\r\n\r\n"),
        Sample("two Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n"),
        Sample("Content-Length list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\n"),
        Sample("Content-Length +1", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\n"),
        Sample("Content-Length 1a", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1a\r\n\r\n"),
        Sample("Transfer-Encoding gzip", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
        Sample(
            "Transfer-Encoding twice",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
        ),
        Sample(
            "Transfer-Encoding with Content-Length",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
        ),
        Sample(
            "Content-Length with Transfer-Encoding",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        ),
        Sample("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
        Sample("HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n"),
        Sample("lowercase method", "get / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("unknown method", "FOO / HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("NUL in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{0}b\r\n\r\n"),
        Sample("DEL in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{7F}b\r\n\r\n"),
        Sample("control byte in the target", "GET /a\u{1}b HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("UTF-8 in the target", "GET /café HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("space inside the target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"),
        Sample("leading SP", " GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        // Refused by the parser only.
        Sample(
            "asterisk-form",
            "GET * HTTP/1.1\r\nHost: x\r\n\r\n",
            onlyNIOAccepts: "the gateway refuses it after NIO today (RequestTarget)"
        ),
        Sample(
            "authority-form CONNECT",
            "CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n",
            onlyNIOAccepts: "the gateway refuses it after NIO today (RequestTarget: no CONNECT)"
        ),
        Sample(
            "QUERY",
            "QUERY / HTTP/1.1\r\nHost: x\r\n\r\n",
            onlyNIOAccepts: "llhttp knows more methods than HTTPMethod has cases for (NIO gives .RAW)"
        ),
        Sample(
            "NEW: HTTP/1.1 without Host",
            "GET / HTTP/1.1\r\n\r\n",
            onlyNIOAccepts: "RFC 9112 §3.2 fix"
        ),
        Sample(
            "NEW: two Host fields",
            "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
            onlyNIOAccepts: "RFC 9112 §3.2 fix"
        ),
    ]

    @Test(arguments: requests)
    func request(_ sample: Sample) {
        let bytes = Wire.bytes(sample.text)
        let ours = Wire.parseRequest(bytes)
        let nio = Wire.nioRequest(bytes)
        if case .incomplete = nio { Issue.record("NIO found no complete head") }
        if let reason = sample.onlyNIOAccepts {
            #expect(ours.status == 400, "expected 400 (\(reason)), got \(ours)")
            #expect(nio.head != nil, "NIO was expected to accept it: \(nio)")
            return
        }
        guard case .head = ours else {
            #expect(nio.head == nil, "only NIO accepts it: \(ours)")
            return
        }
        guard let theirs = nio.head else {
            Issue.record("only the parser accepts it; NIO says \(nio)")
            return
        }
        let head = Wire.requestHead(sample.text)
        let made = head?.makeHTTPRequestHead()
        #expect(made == theirs)
        #expect(made.map { Wire.pairs($0.headers) } == Wire.pairs(theirs.headers))
        #expect(head?.keepAlive == theirs.isKeepAlive)
    }

    static let responses: [Sample] = [
        Sample("200 with Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"),
        Sample(
            "nginx-style",
            "HTTP/1.1 200 OK\r\nServer: nginx/1.25.3\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: keep-alive\r\n"
                + "Set-Cookie: a=1; Path=/; HttpOnly\r\nSet-Cookie: b=2; Secure\r\nX-Empty:\r\n\r\n"
        ),
        Sample("chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
        Sample("gzip, chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
        Sample("Transfer-Encoding gzip (until close)", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"),
        Sample("no length (until close)", "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"),
        Sample("204 without reason", "HTTP/1.1 204\r\nDate: x\r\n\r\n"),
        Sample("204 with empty reason", "HTTP/1.1 204 \r\n\r\n"),
        Sample("304", "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n"),
        Sample("custom code and reason", "HTTP/1.1 299 All Fine Here\r\nContent-Length: 0\r\n\r\n"),
        Sample("known code, other reason", "HTTP/1.1 404 Nada\r\nContent-Length: 0\r\n\r\n"),
        Sample("100 Continue", "HTTP/1.1 100 Continue\r\n\r\n"),
        Sample("103 Early Hints", "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"),
        Sample("HEAD response", "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", method: .HEAD),
        Sample("UTF-8 values", "HTTP/1.1 200 OK\r\nX-Name: José ☕\r\nContent-Length: 0\r\n\r\n"),
        Sample("UTF-8 reason", "HTTP/1.1 200 Très bien\r\nContent-Length: 0\r\n\r\n"),
        Sample("500", "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
        // Refused by both.
        Sample("bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\n\n"),
        Sample("obs-fold", "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 0\r\n\r\n"),
        Sample("space before the colon", "HTTP/1.1 200 OK\r\nBad : 1\r\nContent-Length: 0\r\n\r\n"),
        Sample("NUL in a value", "HTTP/1.1 200 OK\r\nX-A: a\u{0}b\r\nContent-Length: 0\r\n\r\n"),
        Sample("HTTP/2.0", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"),
        Sample("two-digit status", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n"),
        Sample("four-digit status", "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n"),
        Sample("Content-Length 1a", "HTTP/1.1 200 OK\r\nContent-Length: 1a\r\n\r\n"),
        Sample("two Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n"),
        Sample(
            "Content-Length with Transfer-Encoding",
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        ),
        Sample(
            "Transfer-Encoding twice",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            onlyNIOAccepts: "a duplicated Transfer-Encoding is ambiguous framing (nginx answers 502 too)"
        ),
        Sample("empty line first", "\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        Sample("LF first", "\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        Sample("CR first", "\rHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        Sample("no SP after the code", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"),
        Sample("two SP before the code", "HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n"),
    ]

    @Test(arguments: responses)
    func response(_ sample: Sample) {
        let bytes = Wire.bytes(sample.text)
        let ours = Wire.parseResponse(bytes, method: sample.method)
        let nio = Wire.nioResponse(bytes, method: sample.method)
        if case .incomplete = nio { Issue.record("NIO found no complete head") }
        if let reason = sample.onlyNIOAccepts {
            #expect(ours == .failure(502), "expected a failure (\(reason)), got \(ours)")
            #expect(nio.head != nil, "NIO was expected to accept it: \(nio)")
            return
        }
        guard case .head = ours else {
            #expect(nio.head == nil, "only NIO accepts it: \(ours)")
            return
        }
        guard let theirs = nio.head else {
            Issue.record("only the parser accepts it; NIO says \(nio)")
            return
        }
        let head = Wire.responseHead(sample.text, method: sample.method)
        let made = head?.makeHTTPResponseHead()
        #expect(head?.keepAlive == theirs.isKeepAlive)
        #expect(made == theirs)
        #expect(made.map { Wire.pairs($0.headers) } == Wire.pairs(theirs.headers))
        #expect(made?.status.reasonPhrase == theirs.status.reasonPhrase)
    }
}
