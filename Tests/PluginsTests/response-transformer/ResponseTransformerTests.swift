import Gateway
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Plugins

/// Kong's response-transformer: the edits without sockets, then through a real gateway.
@Suite struct ResponseTransformerTests {
    static func pairs(_ entries: [String]) -> [ColonPair] { entries.compactMap(ColonPair.init) }

    @Test func headersInKongsOrder() {
        var config = ResponseTransformerConfig()
        config.remove.headers = ["x-remove", "x-renamed-anyway"]
        config.rename.headers = Self.pairs(["x-old:x-new", "x-renamed-anyway:x-still"]).map(HeaderRename.init(pair:))
        config.replace.headers = Self.pairs(["x-replace:new", "x-absent:no"])
        config.add.headers = Self.pairs(["x-added:1", "x-replace:no"])
        config.append.headers = Self.pairs(["x-replace:again", "x-appended:1"])
        var headers = HTTPHeaders([
            ("X-Remove", "1"), ("X-Old", "o"), ("X-Replace", "old"), ("X-Renamed-Anyway", "r"),
        ])
        ResponseTransformation(config: config).transformHeaders(&headers)
        #expect(!headers.contains(name: "x-remove"))
        #expect(!headers.contains(name: "x-old"))
        #expect(headers["x-new"] == ["o"])
        // Kong checks presence on the headers as the upstream sent them: a removed header is still renamed.
        #expect(headers["x-still"] == ["r"])
        #expect(headers["x-replace"] == ["new", "again"])
        #expect(!headers.contains(name: "x-absent"))
        #expect(headers["x-added"] == ["1"])
        #expect(headers["x-appended"] == ["1"])
    }

    @Test func jsonWithTypes() throws {
        var config = ResponseTransformerConfig()
        config.remove.json = ["secret"]
        config.rename.json = Self.pairs(["old:new"])
        config.replace.json = Self.pairs(["count:7", "flag:true", "missing:1"])
        config.replace.jsonTypes = [.number, .boolean]
        config.add.json = Self.pairs(["added:1.5", "count:9", "off:on"])
        config.add.jsonTypes = [.number, .number, .string]
        config.append.json = Self.pairs(["list:3", "name:b", "n:x"])
        config.append.jsonTypes = [.number]
        let body = #"{"secret":1,"old":"o","count":1,"flag":"no","off":false,"list":[1],"name":"a","n":null}"#
        let edited = try #require(ResponseTransformation(config: config).transformJSON(Array(body.utf8)))
        #expect(
            edited.jsonText
                == #"{"new":"o","count":7,"flag":true,"off":"on","list":[1,3],"name":["a","b"],"n":["x"],"added":1.5}"#
        )
        #expect(ResponseTransformation(config: config).transformJSON(Array("[1]".utf8)) == nil)
        #expect(ResponseTransformation(config: config).transformJSON(Array("nope".utf8)) == nil)
    }

    @Test(
        arguments: [
            ("12", ResponseTransformerConfig.JSONType.number, JSONValue.number("12")),
            ("1e3", .number, .number("1e3")),
            ("abc", .number, nil),
            ("true", .boolean, .bool(true)),
            ("yes", .boolean, .bool(false)),
            ("12", .string, .string("12")),
        ] as [(String, ResponseTransformerConfig.JSONType, JSONValue?)]
    )
    func castsValues(text: String, type: ResponseTransformerConfig.JSONType, expected: JSONValue?) {
        #expect(ResponseTransformation.value(text, as: type) == expected)
    }

    @Test(
        arguments: [
            ("application/json", true), ("application/json; charset=utf-8", true), ("application/problem+json", true),
            ("text/html, application/json", true), ("text/json", false), ("application/jsonx", false), (nil, false),
        ] as [(String?, Bool)]
    )
    func recognisesJSONResponses(type: String?, isJSON: Bool) {
        #expect(BodyKind.isJSONResponse(type) == isJSON)
    }

    @Test func rejectsBadConfig() {
        let lines = PluginFixture.diagnostics(
            PluginFixture.globalPlugin(
                "response-transformer",
                config: "rename: {headers: [\"x-a:bad name\"]}\nadd: {json: [novalue], json_types: [integer]}"
            )
        )
        #expect(lines.contains { $0.hasSuffix("plugins[0].config.rename.headers[0]: 'bad name' is not a valid header") })
        #expect(
            lines.contains { $0.hasSuffix("plugins[0].config.add.json[0]: invalid value: novalue (expected \"name:value\")") }
        )
        #expect(lines.contains { $0.contains("plugins[0].config.add.json_types[0]:") && $0.contains("\"boolean\"") })
        #expect(ResponseTransformerPlugin.priority == 800)
    }

    static let yaml = PluginFixture.yaml(
        [
            .init(
                host: "edit.test",
                plugins: [
                    """
                    name: response-transformer
                    config:
                      remove: {headers: [x-remove], json: [secret]}
                      rename: {headers: ["x-old:x-new"]}
                      add: {headers: ["x-added:1"], json: ["added:true"], json_types: [boolean]}
                      append: {json: ["seen:gateway"]}
                    """
                ]
            ),
            .init(host: "headers-only.test", plugins: ["name: response-transformer\nconfig: {add: {headers: [\"x-added:1\"]}}"]),
        ],
        globalPlugins: ["name: response-transformer\nconfig: {add: {json: [\"from:gateway\"]}}"]
    )

    @Test func editsUpstreamResponses() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let response = try await gateway.request(
                .GET,
                "/response-headers?x-remove=1&x-old=o&secret=s&kept=k",
                headers: [("Host", "edit.test")]
            )
            #expect(response.status == 200)
            #expect(response.headers.first(name: "x-remove") == nil)
            #expect(response.headers.first(name: "x-new") == "o")
            #expect(response.headers.first(name: "x-added") == "1")
            let body = #"{"kept":"k","x-old":"o","x-remove":"1","added":true,"seen":["gateway"]}"#
            #expect(response.text == body)
            #expect(response.headers.first(name: "content-length") == String(body.utf8.count))
        }
    }

    @Test func editsChunkedJSONAndLeavesOtherBodiesAlone() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let chunked = try await gateway.request(.GET, "/json-chunked/200000", headers: [("Host", "edit.test")])
            #expect(chunked.headers.first(name: "transfer-encoding") == nil)
            #expect(chunked.headers.first(name: "content-length") == String(chunked.body.readableBytes))
            #expect(String(chunked.text.suffix(36)) == #"xx","added":true,"seen":["gateway"]}"#)

            let plain = try await gateway.request(
                .GET,
                "/response-headers?content-type=text/plain&secret=s",
                headers: [("Host", "edit.test")]
            )
            #expect(plain.text.contains(#""secret":"s""#))
            #expect(!plain.text.contains("added"))
            #expect(plain.headers.first(name: "x-added") == "1")

            let untouched = try await gateway.request(
                .GET,
                "/response-headers?secret=s",
                headers: [("Host", "headers-only.test")]
            )
            #expect(untouched.text == #"{"secret":"s"}"#)
        }
    }

    @Test func tooLargeBodiesAreNotSentUnedited() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let response = try await gateway.request(
                .GET,
                "/json-chunked/\(ResponseTransformerPlugin.maxBufferedBodyBytes + 100)",
                headers: [("Host", "edit.test")]
            )
            #expect(response.status == 502)
            #expect(try response.json()["message"] as? String == "An invalid response was received from the upstream server")
            // The gateway's own 502 is JSON too: the route's instance edits it.
            #expect(try response.json()["added"] as? Bool == true)
            let next = try await gateway.request(.GET, "/response-headers?a=1", headers: [("Host", "edit.test")])
            #expect(next.status == 200)
        }
    }

    @Test func editsTheGatewaysOwnResponses() async throws {
        try await withGateway(Self.yaml, registry: BuiltinPlugins.registry) { gateway, _ in
            let missing = try await gateway.request(.GET, "/nowhere", headers: [("Host", "unknown.test")])
            #expect(missing.status == 404)
            let json = try missing.json()
            #expect(json["message"] as? String == "no Route matched with those values")
            #expect(json["from"] as? String == "gateway")
            #expect(missing.headers.first(name: "content-length") == String(missing.body.readableBytes))
        }
    }
}
