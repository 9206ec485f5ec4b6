import Gateway
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Plugins

/// key-auth's `key_in_body` through a real gateway (Kong's `spec/03-plugins/09-key-auth`, "key in
/// request body" and `hide_credentials`): form, JSON and multipart bodies.
@Suite(.serialized) struct KeyAuthBodyTests {
    static let form = "application/x-www-form-urlencoded"
    static let json = "application/json"

    static func multipart(_ fields: [(String, String)]) -> (contentType: String, body: String) {
        var body = ""
        for (name, value) in fields {
            body += "--b0undary\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        return ("multipart/form-data; boundary=b0undary", body + "--b0undary--\r\n")
    }

    static func post(
        _ gateway: GatewayHarness,
        host: String,
        _ contentType: String,
        _ body: String,
        path: String = "/mirror",
        headers: [(String, String)] = []
    ) async throws -> TestResponse {
        try await gateway.request(
            .POST,
            path,
            headers: [("Host", host), ("Content-Type", contentType)] + headers,
            body: ByteBuffer(string: body)
        )
    }

    static func message(_ response: TestResponse) throws -> String? { try response.json()["message"] as? String }

    @Test func findsKeysInEveryBodyFormat() async throws {
        try await withGateway(KeyAuthTests.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let multipart = Self.multipart([("apikey", "k-123"), ("other", "x")])
            let cases: [(String, String)] = [
                (Self.form, "other=1&apikey=k-123"),
                (Self.json, #"{"other":1,"apikey":"k-123"}"#),
                ("application/json; charset=utf-8", #"{"apikey":"k-123"}"#),
                (multipart.contentType, multipart.body),
            ]
            for (contentType, body) in cases {
                let response = try await Self.post(gateway, host: "body.test", contentType, body)
                #expect(response.status == 200, "\(contentType)")
                let echoed = try response.json()
                let headers = echoed["headers"] as? [String: String] ?? [:]
                #expect(headers["x-consumer-username"] == "legacy-client", "\(contentType)")
                #expect(headers["x-credential-identifier"] == "11111111-2222-4333-8444-555555555555")
                #expect(echoed["body"] as? String == body, "without hide_credentials the body goes as it came")
            }
        }
    }

    @Test func refusesAsKong() async throws {
        try await withGateway(KeyAuthTests.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let duplicates = [
                (Self.json, #"{"apikey":["k-123","k-123"]}"#), (Self.json, #"{"apikey":{"k":"k-123"}}"#),
                (Self.form, "apikey=k-123&apikey=k-123"),
                (
                    Self.multipart([("apikey", "k-123"), ("apikey", "k-123")]).contentType,
                    Self.multipart([("apikey", "k-123"), ("apikey", "k-123")]).body
                ),
            ]
            for (contentType, body) in duplicates {
                let response = try await Self.post(gateway, host: "body.test", contentType, body)
                #expect(response.status == 401)
                #expect(try Self.message(response) == "Duplicate API key found", "\(body)")
                #expect(response.headers.first(name: "WWW-Authenticate") == "Key")
            }
            let missing = [
                (Self.form, "apikey[]=k-123&apikey[]=k-123"), (Self.form, "apikey"), (Self.json, #"{"apikey":123}"#),
                (Self.json, #"["apikey","k-123"]"#), (Self.json, #"{"apikey":"k-123""#), (Self.json, ""),
                ("text/plain", "apikey=k-123"), ("application/xml", "<apikey>k-123</apikey>"),
                ("multipart/form-data", "--x\r\nContent-Disposition: form-data; name=apikey\r\n\r\nk-123\r\n--x--"),
            ]
            for (contentType, body) in missing {
                let response = try await Self.post(gateway, host: "body.test", contentType, body)
                #expect(response.status == 401)
                #expect(try Self.message(response) == "No API key found in request", "\(contentType) \(body)")
            }
            let wrong = try await Self.post(gateway, host: "body.test", Self.json, #"{"apikey":"k-124"}"#)
            #expect(wrong.status == 401)
            #expect(try Self.message(wrong) == "Unauthorized")

            let anonymous = try await Self.post(gateway, host: "bodyanon.test", Self.form, "apikey=nope")
            #expect(anonymous.status == 200)
            let headers = try anonymous.json()["headers"] as? [String: String] ?? [:]
            #expect(headers["x-consumer-username"] == "anon")
        }
    }

    /// Kong's order: for each name, header, query, then body; `apikey` in the body comes before
    /// `x-api-key` in a header. A key in a header or the query for the first name leaves the body
    /// unread (a body over the limit still streams).
    @Test func searchesInKongsOrderAndReadsTheBodyOnlyWhenNeeded() async throws {
        try await withGateway(KeyAuthTests.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let bodyFirst = try await Self.post(
                gateway,
                host: "body.test",
                Self.json,
                #"{"apikey":"second-key"}"#,
                headers: [("x-api-key", "k-123")]
            )
            #expect(bodyFirst.status == 200)
            let bodyHeaders = try bodyFirst.json()["headers"] as? [String: String] ?? [:]
            #expect(bodyHeaders["x-credential-identifier"] != "11111111-2222-4333-8444-555555555555")

            let queryFirst = try await Self.post(
                gateway,
                host: "body.test",
                Self.json,
                #"{"apikey":"k-124"}"#,
                path: "/mirror?apikey=k-123"
            )
            #expect(queryFirst.status == 200)

            let large = 3 * KeyAuthPlugin.maxBufferedBodyBytes
            let streamed = try await gateway.request(
                .POST,
                "/echo",
                headers: [("Host", "body.test"), ("Content-Type", Self.form), ("apikey", "k-123")],
                body: ByteBuffer(repeating: UInt8(ascii: "a"), count: large)
            )
            #expect(streamed.status == 200)
            #expect(try streamed.json()["body_bytes"] as? Int == large)

            // Declared too large to read: as Kong's body that did not fit, no key in it.
            let declared = try await gateway.request(
                .POST,
                "/echo",
                headers: [("Host", "body.test"), ("Content-Type", Self.form)],
                body: ByteBuffer(string: "apikey=k-123&pad=" + String(repeating: "a", count: large))
            )
            #expect(declared.status == 401)
            #expect(try Self.message(declared) == "No API key found in request")

            // Chunked: read up to the limit, then refused.
            let connection = try await gateway.connect()
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/echo")
            head.headers.add(name: "Host", value: "body.test")
            head.headers.add(name: "Content-Type", value: Self.form)
            head.headers.add(name: "Transfer-Encoding", value: "chunked")
            let chunked = try await connection.streamed(
                head: head,
                parts: [ByteBuffer(string: "apikey=k-123&pad=")]
                    + Array(repeating: ByteBuffer(repeating: 0x61, count: 512 * 1024), count: 3),
                pause: .milliseconds(1)
            )
            await connection.close()
            #expect(chunked.status == 413)
            let small = try await gateway.request(
                .POST,
                "/mirror",
                headers: [("Host", "body.test"), ("Content-Type", Self.form), ("Transfer-Encoding", "chunked")],
                body: ByteBuffer(string: "apikey=k-123")
            )
            #expect(small.status == 200)
        }
    }

    @Test func hidesTheKeyFromTheBody() async throws {
        try await withGateway(KeyAuthTests.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let multipart = Self.multipart([("a", "1"), ("apikey", "k-123"), ("foo", "bar")])
            let cases: [(String, String, String)] = [
                (Self.form, "a=%41&apikey=k-123&foo=bar+baz", "a=%41&foo=bar+baz"),
                (Self.form, "apikey=k-123", ""),
                (Self.json, #"{"a":1.50,"apikey":"k-123","foo":{"b":[true]}}"#, #"{"a":1.50,"foo":{"b":[true]}}"#),
                (multipart.contentType, multipart.body, Self.multipart([("a", "1"), ("foo", "bar")]).body),
            ]
            for (contentType, body, forwarded) in cases {
                let response = try await Self.post(gateway, host: "bodyhide.test", contentType, body)
                #expect(response.status == 200, "\(contentType)")
                let echoed = try response.json()
                #expect(echoed["body"] as? String == forwarded)
                let headers = echoed["headers"] as? [String: String] ?? [:]
                #expect(headers["content-length"] == String(forwarded.utf8.count))
                #expect(headers["content-type"] == contentType, "the body keeps its MIME type")
                #expect(headers["x-consumer-username"] == "legacy-client")
            }
            // The key from the query: hidden there; the body is not read for it.
            let query = try await Self.post(gateway, host: "bodyhide.test", Self.form, "x=1", path: "/mirror?apikey=k-123&y=2")
            #expect(query.status == 200)
            #expect(try query.json()["uri"] as? String == "/mirror?y=2")
            #expect(try query.json()["body"] as? String == "x=1")
        }
    }
}
