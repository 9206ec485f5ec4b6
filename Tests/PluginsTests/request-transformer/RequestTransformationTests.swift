import NIOCore
import NIOHTTP1
import Testing

@testable import Plugins

/// The request-transformer's edits, without sockets: Kong's order and "only if present/absent" rules.
@Suite struct RequestTransformationTests {
    static func pairs(_ entries: [String]) -> [ColonPair] { entries.compactMap(ColonPair.init) }

    static func transformation(_ build: (inout RequestTransformerConfig) -> Void) -> RequestTransformation {
        var config = RequestTransformerConfig()
        build(&config)
        return RequestTransformation(config: config)
    }

    @Test(arguments: [
        ("x-a:b", "x-a", "b"), ("x-a:b:c", "x-a", "b:c"), ("x-a::b", "x-a", "b"), ("x-a:", "x-a", ""),
    ])
    func splitsPairsLikeKong(text: String, name: String, value: String) throws {
        let pair = try #require(ColonPair(text))
        #expect(pair.name == name)
        #expect(pair.value == value)
    }

    @Test func colonlessOrNamelessEntriesAreNotPairs() {
        #expect(ColonPair("novalue") == nil)
        #expect(ColonPair(":value") == nil)
    }

    @Test func headersInKongsOrder() {
        let transformation = Self.transformation { config in
            config.remove.headers = Self.names(["x-remove", "host"])
            config.rename.headers = Self.renames(["x-old:x-new", "x-case:X-CASE", "x-missing:x-there"])
            config.replace.headers = Self.headerPairs(["x-new:replaced", "x-absent:nope", "host:upstream.test"])
            config.add.headers = Self.headerPairs(["x-added:1", "x-kept:ignored"])
            config.append.headers = Self.headerPairs(["x-kept:second", "x-appended:1"])
        }
        var headers = HTTPHeaders([
            ("Host", "client.test"), ("X-Remove", "1"), ("X-Old", "a"), ("x-case", "c"), ("X-Kept", "first"),
        ])
        let host = transformation.transformHeaders(&headers)
        #expect(host == "upstream.test")
        #expect(headers.first(name: "host") == "client.test")
        #expect(!headers.contains(name: "x-remove"))
        #expect(!headers.contains(name: "x-old"))
        #expect(headers["x-new"] == ["replaced"])
        #expect(headers.contains { $0.name == "X-CASE" && $0.value == "c" })
        #expect(!headers.contains(name: "x-there"))
        #expect(!headers.contains(name: "x-absent"))
        #expect(headers["x-added"] == ["1"])
        #expect(headers["x-kept"] == ["first", "second"])
        #expect(headers["x-appended"] == ["1"])
    }

    @Test func querystringInKongsOrder() {
        let transformation = Self.transformation { config in
            config.remove.querystring = ["drop"]
            config.rename.querystring = Self.values(["old:new"])
            config.replace.querystring = Self.values(["new:replaced", "absent:nope"])
            config.add.querystring = Self.values(["added:1 2", "keep:ignored"])
            config.append.querystring = Self.values(["keep:two", "flag:x"])
        }
        var arguments = FormArguments(decoding: "drop=1&old=a&keep=one&flag")
        transformation.transformQuery(&arguments)
        #expect(arguments.encoded == "new=replaced&keep=one&keep=two&flag=x&added=1%202")
    }

    @Test func formArgumentsRoundTrip() {
        let arguments = FormArguments(decoding: "a=1&b=x+y&a=2&flag&c=%2F%zz&=skip")
        #expect(arguments["a"] == .values(["1", "2"]))
        #expect(arguments["b"] == .values(["x y"]))
        #expect(arguments["flag"] == .flag)
        #expect(arguments["c"] == .values(["/%zz"]))
        #expect(arguments.encoded == "a=1&a=2&b=x%20y&flag&c=%2F%25zz")
    }

    @Test func jsonBody() throws {
        let transformation = Self.transformation { config in
            config.remove.body = ["secret"]
            config.rename.body = Self.values(["old:new", "off:renamed"])
            config.replace.body = Self.values(["amount:999", "absent:nope"])
            config.add.body = Self.values(["added:yes", "amount:ignored", "off:was-false"])
            config.append.body = Self.values(["tags:b", "note:second", "count:x"])
        }
        let body = ByteBuffer(string: #"{"secret":"s","old":1,"amount":12.50,"tags":["a"],"note":"first","count":3,"off":false}"#)
        let edited = try #require(transformation.transformBody(body, kind: .json))
        #expect(
            String(buffer: edited)
                == #"{"new":1,"amount":"999","tags":["a","b"],"note":["first","second"],"count":["x"],"off":"was-false","added":"yes"}"#
        )
    }

    @Test func jsonBodyEdgeCases() throws {
        let adding = Self.transformation { $0.add.body = Self.values(["a:1"]) }
        #expect(adding.transformBody(ByteBuffer(), kind: .json).map { String(buffer: $0) } == #"{"a":"1"}"#)
        #expect(adding.transformBody(ByteBuffer(string: "{not json"), kind: .json) == nil)
        #expect(adding.transformBody(ByteBuffer(string: "[1,2]"), kind: .json) == nil)
        #expect(adding.transformBody(ByteBuffer(string: "{}"), kind: .multipart) == nil)
        let removing = Self.transformation { $0.remove.body = ["a"] }
        #expect(removing.transformBody(ByteBuffer(), kind: .json) == nil)
        let nothing = Self.transformation { _ in }
        #expect(nothing.transformBody(ByteBuffer(string: "{}"), kind: .json) == nil)
    }

    @Test func formBody() throws {
        let transformation = Self.transformation { config in
            config.remove.body = ["secret"]
            config.rename.body = Self.values(["old:new"])
            config.replace.body = Self.values(["amount:999"])
            config.add.body = Self.values(["added:a b"])
            config.append.body = Self.values(["amount:1000"])
        }
        let edited = try #require(transformation.transformBody(ByteBuffer(string: "secret=s&old=1&amount=5"), kind: .form))
        #expect(String(buffer: edited) == "new=1&amount=999&amount=1000&added=a%20b")
    }

    @Test func formBodyMovesToTheQueryForGET() {
        var query = FormArguments(decoding: "a=1&f")
        RequestTransformation.mergeFormBody(FormArguments(decoding: "a=2&b=3&f"), into: &query)
        #expect(query.encoded == "a=1&a=2&f&b=3")
        #expect(Self.transformation { $0.httpMethod = "GET" }.movesFormBodyToQuery)
        #expect(!Self.transformation { $0.httpMethod = "PUT" }.movesFormBodyToQuery)
    }

    @Test(arguments: [
        ("application/json", BodyKind.json), ("application/json; charset=utf-8", .json),
        ("APPLICATION/X-WWW-FORM-URLENCODED", .form), ("multipart/form-data; boundary=x", .multipart),
    ])
    func readsContentTypes(type: String, kind: BodyKind) {
        #expect(BodyKind(requestContentType: type) == kind)
    }

    @Test func templateLookups() throws {
        let headers = HTTPHeaders([("X-Client", "app"), ("X-Multi", "1"), ("X-Multi", "2")])
        let query = FormArguments(decoding: "q=1&q=2&flag")
        let captures = ["id": "7"]
        let cases: [(String, String)] = [
            ("plain", "plain"),
            ("Bearer $(headers.x_client)", "Bearer app"),
            ("$(headers['X-Multi'])", "1"),
            ("$(headers[\"missing\"])!", "!"),
            ("$(headers.missing or 'dflt')", "dflt"),
            ("$(query_params.q)-$(query_params.flag)", "1-true"),
            ("/u/$(uri_captures.id)/$(uri_captures[\"id\"])", "/u/7/7"),
            ("$(uri_captures.none or \"x\")", "x"),
        ]
        for (text, rendered) in cases {
            let template = try TransformerTemplate(text)
            #expect(template.render(headers: headers, query: query, captures: captures) == rendered, "\(text)")
        }
        for unsupported in ["$(10 * uri_captures.id)", "$(uri_captures[0])", "$(shared.x)", "$(headers.x", "$(ERROR())"] {
            #expect(throws: TransformerTemplate.Unsupported.self, "\(unsupported)") { try TransformerTemplate(unsupported) }
        }
    }

    // Entry builders (the decoders are tested through configuration files).
    static func values(_ entries: [String]) -> [ValuePair] { pairs(entries).map(ValuePair.init(pair:)) }
    static func headerPairs(_ entries: [String]) -> [HeaderPair] { pairs(entries).map(HeaderPair.init(pair:)) }
    static func renames(_ entries: [String]) -> [HeaderRename] { pairs(entries).map(HeaderRename.init(pair:)) }
    static func names(_ entries: [String]) -> [HeaderNameEntry] { entries.map(HeaderNameEntry.init(name:)) }
}
