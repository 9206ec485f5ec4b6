import Gateway
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Plugins

/// Kong's request-size-limiting: config, then limits checked up front (Content-Length) and while a
/// chunked body streams, through a real gateway.
@Suite struct RequestSizeLimitingTests {
    @Test func kongDefaults() {
        let config = RequestSizeLimitingConfig()
        #expect(config.allowedPayloadSize == 128)
        #expect(config.sizeUnit == .megabytes)
        #expect(config.requireContentLength == false)
        #expect(config.allowedBytes == 128 * 1_048_576)
        #expect(RequestSizeLimitingPlugin.priority == 951)
    }

    @Test(arguments: [("bytes", 2), ("kilobytes", 2048), ("megabytes", 2_097_152)])
    func unitsMultiply(unit: String, bytes: Int) throws {
        let yaml = PluginFixture.globalPlugin("request-size-limiting", config: "allowed_payload_size: 2\nsize_unit: \(unit)")
        #expect(PluginFixture.diagnostics(yaml).isEmpty)
        var config = RequestSizeLimitingConfig()
        config.allowedPayloadSize = 2
        config.sizeUnit = try #require(RequestSizeLimitingConfig.SizeUnit(rawValue: unit))
        #expect(config.allowedBytes == bytes)
    }

    @Test func rejectsBadConfig() {
        let yaml = PluginFixture.globalPlugin(
            "request-size-limiting",
            config: "allowed_payload_size: -1\nsize_unit: gigabytes\nrequire_content_length: maybe"
        )
        let lines = PluginFixture.diagnostics(yaml)
        #expect(lines.contains { $0.contains("config.allowed_payload_size: value must be greater than or equal to 0") })
        #expect(lines.contains { $0.contains("config.size_unit:") && $0.contains("\"megabytes\"") })
        #expect(lines.contains { $0.contains("config.require_content_length:") })
    }

    static let yaml = PluginFixture.yaml([
        .init(
            host: "limit.test",
            plugins: ["name: request-size-limiting\nconfig: {allowed_payload_size: 2, size_unit: kilobytes}"]
        ),
        .init(
            host: "required.test",
            plugins: [
                "name: request-size-limiting\nconfig: {allowed_payload_size: 2, size_unit: kilobytes, require_content_length: true}"
            ]
        ),
        .init(host: "mb.test", plugins: ["name: request-size-limiting\nconfig: {allowed_payload_size: 1}"]),
    ])

    static func post(_ host: String, _ path: String, headers: [String], body: String = "") -> String {
        "POST \(path) HTTP/1.1\r\nHost: \(host)\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n" + body
    }

    static func chunk(_ size: Int) -> String {
        String(size, radix: 16) + "\r\n" + String(repeating: "a", count: size) + "\r\n"
    }

    @Test func contentLengthWithinTheLimitPasses() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let body = ByteBuffer(repeating: 0x61, count: 2048)
            let response = try await gateway.request(.POST, "/checksum", headers: [("Host", "limit.test")], body: body)
            #expect(response.status == 200)
            #expect(try response.json()["bytes"] as? Int == 2048)
        }
    }

    @Test func contentLengthOverTheLimitIsRefusedWithoutReadingTheBody() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, upstream in
            // Only the head is sent: the answer cannot depend on reading the body.
            let reply = try await gateway.raw(Self.post("limit.test", "/checksum", headers: ["Content-Length: 2049"]))
            #expect(reply.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            #expect(reply.contains("{\"message\":\"Request size limit exceeded\",\"request_id\":"))
            #expect(reply.lowercased().contains("connection: close"))
            let megabytes = try await gateway.raw(Self.post("mb.test", "/checksum", headers: ["Content-Length: 1048577"]))
            #expect(megabytes.hasPrefix("HTTP/1.1 413 "))
            #expect(upstream.accepts == 0)
        }
    }

    @Test func expectContinueGets417() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let reply = try await gateway.raw(
                Self.post("limit.test", "/checksum", headers: ["Content-Length: 4096", "Expect: 100-continue"])
            )
            #expect(reply.hasPrefix("HTTP/1.1 417 Expectation Failed\r\n"))
            #expect(reply.contains("\"message\":\"Request size limit exceeded\""))
            #expect(!reply.contains("100 Continue"))
        }
    }

    @Test func chunkedBodyWithinTheLimitPasses() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let reply = try await gateway.raw(
                Self.post(
                    "limit.test",
                    "/checksum",
                    headers: ["Transfer-Encoding: chunked", "Connection: close"],
                    body: Self.chunk(1024) + Self.chunk(1024) + "0\r\n\r\n"
                )
            )
            #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(reply.contains("\"bytes\":2048"))
        }
    }

    @Test func chunkedBodyOverTheLimitIsCutOff() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let reply = try await gateway.raw(
                Self.post(
                    "limit.test",
                    "/checksum",
                    headers: ["Transfer-Encoding: chunked"],
                    body: Self.chunk(1024) + Self.chunk(1025) + "0\r\n\r\n"
                )
            )
            #expect(reply.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            #expect(reply.contains("\"message\":\"Request size limit exceeded\""))
        }
    }

    @Test func chunkedBodyAlreadyStreamingUpstreamIsAbortedWith413() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, upstream in
            let connection = try await gateway.connect()
            // The first 1 KiB goes upstream (the route is proxying); the next 2 KiB pass the limit.
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/checksum")
            head.headers.add(name: "Host", value: "limit.test")
            head.headers.add(name: "Transfer-Encoding", value: "chunked")
            let response = try await connection.streamed(
                head: head,
                parts: [ByteBuffer(repeating: 0x61, count: 1024), ByteBuffer(repeating: 0x61, count: 2048)],
                pause: .milliseconds(200)
            )
            #expect(response.status == 413)
            #expect(try response.json()["message"] as? String == "Request size limit exceeded")
            #expect(upstream.accepts == 1)
            await connection.close()
        }
    }

    @Test func requireContentLength() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let missing = try await gateway.raw("GET /echo HTTP/1.1\r\nHost: required.test\r\n\r\n")
            #expect(missing.hasPrefix("HTTP/1.1 411 Length Required\r\n"))
            #expect(missing.contains("\"message\":\"A valid Content-Length header is required\""))
            let given = try await gateway.request(
                .POST,
                "/echo",
                headers: [("Host", "required.test")],
                body: ByteBuffer(string: "ok")
            )
            #expect(given.status == 200)
            let chunked = try await gateway.raw(
                Self.post(
                    "required.test",
                    "/checksum",
                    headers: ["Transfer-Encoding: chunked", "Connection: close"],
                    body: Self.chunk(10) + "0\r\n\r\n"
                )
            )
            #expect(chunked.hasPrefix("HTTP/1.1 200 OK\r\n"))
            // Without the option a request without a length passes.
            let optional = try await gateway.raw("GET /echo HTTP/1.1\r\nHost: limit.test\r\nConnection: close\r\n\r\n")
            #expect(optional.hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
    }
}
