import Gateway
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Plugins

/// Kong's request-transformer: config checks, then what the upstream receives through a real gateway.
@Suite struct RequestTransformerTests {
    @Test func kongPriorityAndEmptyDefaults() {
        let config = RequestTransformerConfig()
        #expect(RequestTransformerPlugin.priority == 801)
        #expect(config.httpMethod == nil && config.replace.uri == nil)
        #expect(config.remove.headers.isEmpty && config.append.body.isEmpty)
    }

    @Test func rejectsBadConfig() {
        let lines = PluginFixture.diagnostics(
            PluginFixture.globalPlugin(
                "request-transformer",
                config: """
                    http_method: get
                    remove: {headers: ["bad header"]}
                    rename: {headers: ["x-a:bad header"], body: ["novalue:"]}
                    add: {headers: ["x-ok:1", "novalue"], querystring: ["q:$(10 * uri_captures.n)", "r:$(query_params.x)"], uri: /nope}
                    append: {body: ["b"]}
                    """
            )
        )
        #expect(lines.contains { $0.hasSuffix("plugins[0].config.http_method: invalid value: get") })
        #expect(lines.contains { $0.hasSuffix("plugins[0].config.remove.headers[0]: 'bad header' is not a valid header") })
        #expect(lines.contains { $0.hasSuffix("plugins[0].config.rename.headers[0]: 'bad header' is not a valid header") })
        #expect(lines.contains { $0.hasSuffix("plugins[0].config.rename.body[0]: key 'novalue' has no value") })
        #expect(lines.contains { $0.hasSuffix("plugins[0].config.add.headers[1]: invalid value: novalue") })
        #expect(lines.contains { $0.hasSuffix("plugins[0].config.add.uri: unknown field") })
        #expect(
            lines.contains {
                $0.hasSuffix(
                    "plugins[0].config.add.querystring: unsupported template expression \"$(10 * uri_captures.n)\": only headers, query_params and uri_captures lookups (with an optional `or 'default'`) are supported"
                )
            }
        )
        #expect(!lines.contains { $0.contains("query_params.x") })
        #expect(lines.contains { $0.hasSuffix("plugins[0].config.append.body[0]: key 'b' has no value") })
        let good = PluginFixture.diagnostics(
            PluginFixture.globalPlugin(
                "request-transformer",
                config: "http_method: POST\nreplace: {uri: /new, headers: [\"x-a:\"]}\nappend: {headers: [\"x-a:b:c\"]}"
            )
        )
        #expect(good.isEmpty)
    }

    static let yaml = PluginFixture.yaml([
        .init(
            host: "headers.test",
            plugins: [
                """
                name: request-transformer
                config:
                  remove: {headers: [x-remove], querystring: [drop]}
                  rename: {headers: ["x-old:x-new"], querystring: ["old:new"]}
                  replace: {headers: ["x-new:replaced", "host:upstream.test"], querystring: ["new:replaced"]}
                  add: {headers: ["x-added:1", "x-kept:no"], querystring: ["added:a b"]}
                  append: {headers: ["x-kept:second"], querystring: ["keep:two"]}
                """
            ]
        ),
        .init(
            host: "body.test",
            plugins: [
                """
                name: request-transformer
                config:
                  remove: {body: [secret]}
                  rename: {body: ["old:new"]}
                  replace: {body: ["amount:999"]}
                  add: {body: ["added:yes"]}
                  append: {body: ["tags:b"]}
                """
            ]
        ),
        .init(
            host: "template.test",
            plugins: [
                """
                name: request-transformer
                config:
                  replace: {uri: "/mirror/$(uri_captures.user_id)"}
                  add: {headers: ["x-user:$(uri_captures['user_id'])", "x-from:$(headers.x_client) via $(query_params.via or 'none')"], querystring: ['who:$(headers["x-client"])']}
                """
            ],
            paths: "[\"~/users/(?<user_id>\\\\d+)$\"]"
        ),
        .init(
            host: "method.test",
            plugins: ["name: request-transformer\nconfig: {http_method: GET, replace: {uri: /mirror/rewritten}}"]
        ),
    ])

    @Test func editsHeadersAndQuery() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, upstream in
            let response = try await gateway.request(
                .GET,
                "/echo?drop=1&old=a&keep=one",
                headers: [("Host", "headers.test"), ("X-Remove", "1"), ("X-Old", "o"), ("X-Kept", "first")]
            )
            #expect(response.status == 200)
            let echoed = try response.json()
            let headers = try #require(echoed["headers"] as? [String: String])
            #expect(headers["x-remove"] == nil)
            #expect(headers["x-old"] == nil)
            #expect(headers["x-new"] == "replaced")
            #expect(headers["x-added"] == "1")
            #expect(headers["x-kept"] == "first, second")
            #expect(headers["host"] == "upstream.test")
            #expect(echoed["uri"] as? String == "/echo?new=replaced&keep=one&keep=two&added=a%20b")
        }
    }

    @Test func editsJSONAndFormBodies() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let json = try await gateway.request(
                .POST,
                "/mirror",
                headers: [("Host", "body.test"), ("Content-Type", "application/json")],
                body: ByteBuffer(string: #"{"secret":"s","old":1,"amount":5,"tags":["a"]}"#)
            )
            let sent = #"{"new":1,"amount":"999","tags":["a","b"],"added":"yes"}"#
            #expect(try json.json()["body"] as? String == sent)
            #expect(try (json.json()["headers"] as? [String: String])?["content-length"] == String(sent.utf8.count))

            let form = try await gateway.request(
                .POST,
                "/mirror",
                headers: [("Host", "body.test"), ("Content-Type", "application/x-www-form-urlencoded")],
                body: ByteBuffer(string: "secret=s&old=1&amount=5")
            )
            #expect(try form.json()["body"] as? String == "new=1&amount=999&added=yes&tags=b")

            let other = try await gateway.request(
                .POST,
                "/mirror",
                headers: [("Host", "body.test"), ("Content-Type", "text/plain")],
                body: ByteBuffer(string: "secret=s")
            )
            #expect(try other.json()["body"] as? String == "secret=s")
        }
    }

    @Test func chunkedBodiesAreEditedAndSentWithALength() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let connection = try await gateway.connect()
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/mirror")
            head.headers.add(name: "Host", value: "body.test")
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Transfer-Encoding", value: "chunked")
            let response = try await connection.streamed(
                head: head,
                parts: [ByteBuffer(string: #"{"secret":"#), ByteBuffer(string: #""s","old":2}"#)],
                pause: .milliseconds(50)
            )
            let echoed = try response.json()
            #expect(echoed["body"] as? String == #"{"new":2,"added":"yes","tags":["b"]}"#)
            let headers = try #require(echoed["headers"] as? [String: String])
            #expect(headers["transfer-encoding"] == nil)
            #expect(headers["content-length"] == "36")
            await connection.close()
        }
    }

    @Test func tooLargeBodiesAreRefused() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, upstream in
            let connection = try await gateway.connect()
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/mirror")
            head.headers.add(name: "Host", value: "body.test")
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(RequestTransformerPlugin.maxBufferedBodyBytes + 1))
            let megabyte = ByteBuffer(repeating: 0x20, count: 1_048_576)
            let response = try await connection.streamed(
                head: head,
                parts: Array(repeating: megabyte, count: 8) + [ByteBuffer(string: " ")],
                pause: .milliseconds(1)
            )
            #expect(response.status == 413)
            #expect(try response.json()["message"] as? String == "Request size limit exceeded")
            #expect(upstream.accepts == 0)
            await connection.close()
        }
    }

    @Test func rendersTemplateLookups() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let response = try await gateway.request(
                .GET,
                "/users/42?a=1",
                headers: [("Host", "template.test"), ("X-Client", "app")]
            )
            #expect(response.status == 200)
            let echoed = try response.json()
            #expect(echoed["uri"] as? String == "/mirror/42?a=1&who=app")
            let headers = try #require(echoed["headers"] as? [String: String])
            #expect(headers["x-user"] == "42")
            #expect(headers["x-from"] == "app via none")
        }
    }

    @Test func changesTheMethodAndPath() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let response = try await gateway.request(
                .POST,
                "/anything?x=1",
                headers: [("Host", "method.test"), ("Content-Type", "application/x-www-form-urlencoded")],
                body: ByteBuffer(string: "a=1&b=2")
            )
            let echoed = try response.json()
            #expect(echoed["method"] as? String == "GET")
            #expect(echoed["uri"] as? String == "/mirror/rewritten?x=1&a=1&b=2")
        }
    }
}
