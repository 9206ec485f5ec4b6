import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Gateway

/// DESIGN §7's job body, without a broker.
@Suite struct JobEnvelopeTests {
    func request(
        headers: HTTPHeaders,
        body: String,
        query: String? = "a=1&b=x%20y&a=2&flag",
        consumer: Consumer? = Consumer(id: "c-1", username: "alice", customID: "7")
    ) -> DispatchRequest {
        DispatchRequest(
            requestID: "req-1",
            method: .POST,
            path: "/users/7/pay",
            query: query,
            headers: headers,
            captures: ["user_id": "7"],
            consumer: consumer,
            body: ByteBuffer(string: body),
            eventLoop: EmbeddedEventLoop()
        )
    }

    func decode(_ envelope: JobEnvelope) throws -> [String: Any] {
        let buffer = try envelope.encoded()
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    @Test func jsonBodyIsEmbeddedVerbatim() throws {
        let headers: HTTPHeaders = [
            "Content-Type": "application/json", "Authorization": "Bearer secret", "X-User-Id": "7", "Accept": "a", "accept": "b",
        ]
        let envelope = JobEnvelope(
            id: "job-1",
            request: request(headers: headers, body: #"{"amount": 1250, "ratio": 12.50}"#),
            receivedAt: Date(timeIntervalSince1970: 1_795_000_000.25)
        )
        let json = try decode(envelope)
        #expect(json["id"] as? String == "job-1")
        #expect(json["method"] as? String == "POST")
        #expect(json["path"] as? String == "/users/7/pay")
        #expect(json["params"] as? [String: String] == ["user_id": "7"])
        let query = try #require(json["query"] as? [String: Any])
        #expect(query["a"] as? [String] == ["1", "2"])
        #expect(query["b"] as? String == "x y")
        #expect(query["flag"] as? Bool == true)
        let headersOut = try #require(json["headers"] as? [String: String])
        #expect(headersOut["authorization"] == nil)
        #expect(headersOut["x-user-id"] == "7")
        #expect(headersOut["accept"] == "a, b")
        let consumer = try #require(json["consumer"] as? [String: String])
        #expect(consumer == ["id": "c-1", "username": "alice", "custom_id": "7"])
        let body = try #require(json["body"] as? [String: Any])
        #expect(body["amount"] as? Int == 1250)
        #expect(json["body_base64"] == nil)
        #expect(json["received_at"] as? String == "2026-11-18T11:06:40.250Z")
        // The number keeps its exact text.
        #expect(String(buffer: try envelope.encoded()).contains(#""ratio": 12.50"#))
    }

    @Test func otherBodiesTravelAsBase64() throws {
        let envelope = JobEnvelope(
            id: "j",
            request: request(headers: ["Content-Type": "text/plain"], body: "héllo", consumer: nil)
        )
        let json = try decode(envelope)
        #expect(json["body"] == nil)
        #expect(json["body_base64"] as? String == Data("héllo".utf8).base64EncodedString())
        #expect(json["consumer"] is NSNull)
    }

    @Test func invalidJSONIsRefused() {
        let envelope = JobEnvelope(
            id: "j",
            request: request(headers: ["Content-Type": "application/vnd.api+json"], body: "{oops")
        )
        #expect(throws: JobEnvelope.EncodingError.invalidJSONBody) { try envelope.encoded() }
    }

    @Test(
        arguments: [
            ("application/json", true), ("application/json; charset=utf-8", true), ("application/problem+json", true),
            ("APPLICATION/JSON", true), ("text/json", false), ("application/jsonp", false), (nil, false),
            (" application/json ;charset=utf-8", true), ("+json", false), ("", false), ("application/JSON\t", true),
        ] as [(String?, Bool)]
    )
    func recognisesJSON(contentType: String?, expected: Bool) {
        #expect(JobEnvelope.isJSON(contentType: contentType) == expected)
    }

    @Test(arguments: [
        "", "plain", "quote \" and backslash \\", "line\nbreak\r\ttab", "\u{01}\u{1F}control", "ñandú — 漢字 🎉",
        "\"\"", "\\", "end\n",
    ])
    func stringsAreEscapedAsJSON(text: String) throws {
        var buffer = ByteBuffer()
        JSONString.write(text, into: &buffer)
        let encoded = String(buffer: buffer)
        let decoded = try JSONSerialization.jsonObject(with: Data(encoded.utf8), options: [.fragmentsAllowed]) as? String
        #expect(decoded == text, "\(encoded)")
        #expect(!encoded.utf8.dropFirst().dropLast().contains { $0 < 0x20 })
        // Folding ASCII letters on the way gives the escaped form of the lower-cased text.
        var folded = ByteBuffer()
        JSONString.write(text.uppercased(), lowercasingASCII: true, into: &folded)
        var expected = ByteBuffer()
        JSONString.write(ASCII.lowercased(text.uppercased()), into: &expected)
        #expect(folded == expected)
    }

    @Test func timestampsAreRFC3339InUTCWithMilliseconds() {
        #expect(JobEnvelope.rfc3339(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(JobEnvelope.rfc3339(Date(timeIntervalSince1970: 1_795_000_000.999)) == "2026-11-18T11:06:40.999Z")
        #expect(JobEnvelope.rfc3339(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
    }

    /// Past 16 headers duplicates are found by a dictionary instead of a scan: the result is the same.
    @Test(arguments: [4, 40])
    func repeatedHeadersJoinInArrivalOrderWhateverTheirCount(extraHeaders: Int) throws {
        var headers: HTTPHeaders = ["Accept": "a", "Cookie": "session=1", "X-Trace": "t"]
        for index in 0..<extraHeaders { headers.add(name: "X-Extra-\(index)", value: "\(index)") }
        headers.add(name: "ACCEPT", value: "b")
        headers.add(name: "accept", value: "c")
        let json = try decode(JobEnvelope(id: "j", request: request(headers: headers, body: "")))
        let headersOut = try #require(json["headers"] as? [String: String])
        #expect(headersOut["accept"] == "a, b, c")
        #expect(headersOut["cookie"] == nil)
        #expect(headersOut["x-trace"] == "t")
        #expect(headersOut["x-extra-\(extraHeaders - 1)"] == "\(extraHeaders - 1)")
        #expect(headersOut.count == 2 + extraHeaders)
        // Names keep the order they first came in.
        let text = String(buffer: try JobEnvelope(id: "j", request: request(headers: headers, body: "")).encoded())
        let accept = try #require(text.range(of: #""accept""#))
        let trace = try #require(text.range(of: #""x-trace""#))
        #expect(accept.lowerBound < trace.lowerBound)
    }
}

