import NIOCore
import Testing

@testable import Plugins

/// The one JSON parser and writer of the plugins (jwt tokens and JWKS, transformer bodies, key-auth).
@Suite struct JSONValueTests {
    @Test func parsesStrictJSON() {
        let parsed = JSONValue.parse(
            #" {"a":"x\u00e9\n","b":-1.5e3,"c":[true,false,null],"d":{},"e":"\ud83d\ude00"} "#.utf8
        )
        #expect(
            parsed
                == .object([
                    "a": .string("xé\n"), "b": .number("-1.5e3"), "c": .array([.bool(true), .bool(false), .null]),
                    "d": .object([:]), "e": .string("😀"),
                ])
        )
        #expect(parsed?.objectValue?["b"]?.doubleValue == -1500)
        #expect(parsed?.objectValue?["a"]?.stringValue == "xé\n")
        #expect(parsed?.objectValue?["b"]?.stringValue == nil)
    }

    @Test(arguments: [
        "", " ", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "01", "-01", "1.", ".5", "-", "+1", "1e", "tru", "nul",
        "\"\u{1}\"", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"abc", "{} {}", "{\"a\":1}}",
        "{\"a\":1}x", "{a:1}", "'a'", "[1 2]", "NaN", "Infinity",
    ])
    func refusesWhatRFC8259Refuses(text: String) {
        #expect(JSONValue.parse(text.utf8) == nil)
    }

    @Test func refusesBytesThatAreNotUTF8() {
        #expect(JSONValue.parse([UInt8(ascii: "\""), 0xC3, UInt8(ascii: "\"")]) == nil)
        #expect(JSONValue.parse([UInt8(ascii: "\""), 0xFF, UInt8(ascii: "\\"), UInt8(ascii: "n"), UInt8(ascii: "\"")]) == nil)
        #expect(JSONValue.parse([UInt8(ascii: "\""), 0xC3, 0xA9, UInt8(ascii: "\"")]) == .string("é"))
    }

    @Test func limitsDepth() {
        func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        // The jwt plugin's limit (32) and the default (256).
        #expect(JSONValue.parse(nested(20).utf8, maxDepth: 32) != nil)
        #expect(JSONValue.parse(nested(40).utf8, maxDepth: 32) == nil)
        #expect(JSONValue.parse(nested(200).utf8) != nil)
        #expect(JSONValue.parse(nested(300).utf8) == nil)
        #expect(JSONValue.parse(nested(100_000).utf8) == nil)
    }

    @Test func keepsNumbersAsWrittenAndMembersInOrder() throws {
        let text = #"{"b":1.50,"a":[true,false,null,"\u00e9\n\"x\""],"c":{"d":-0.5e10,"e":1E+2}}"#
        let value = try #require(JSONValue.parse(text.utf8))
        #expect(value.jsonText == #"{"b":1.50,"a":[true,false,null,"é\n\"x\""],"c":{"d":-0.5e10,"e":1E+2}}"#)
        #expect(JSONValue.parse(#"{"a":1,"b":2,"a":3}"#.utf8)?.jsonText == #"{"a":3,"b":2}"#)
    }

    @Test func writesEscapes() {
        #expect(JSONValue.string("\u{08}\u{0C}\u{01}\u{1F}/\"\\").jsonText == #""\b\f\u0001\u001f/\"\\""#)
        #expect(JSONValue.parse(JSONValue.string("\u{0}x\u{7F}é").jsonText.utf8) == .string("\u{0}x\u{7F}é"))
    }

    @Test func readsEveryKindOfCollection() throws {
        let text = #"{"k":[1,{"x":"y"}]}"#
        var buffer = ByteBuffer(string: "junk")
        buffer.moveReaderIndex(forwardBy: 4)
        buffer.writeString(text)
        let expected = JSONValue.parse(Array(text.utf8))
        #expect(expected != nil)
        #expect(JSONValue.parse(buffer.readableBytesView) == expected)
        #expect(JSONValue.parse(Array(text.utf8)[...]) == expected)
        #expect(JSONValue.parse(text.utf8.lazy.map { $0 }) == expected)  // not contiguous
    }

    @Test func largeObjectsStayConsistent() throws {
        let members = (0..<50).map { "\"m\($0)\":\($0)" }.joined(separator: ",")
        var object = try #require(JSONValue.parse("{\(members),\"m7\":\"again\"}".utf8)?.objectValue)
        #expect(object.count == 50)
        #expect(object["m7"] == .string("again"))
        #expect(object.members[7].name == "m7")
        object["m3"] = nil
        #expect(object["m4"] == .number("4") && object.members[3].name == "m4")
        object.rename("m10", to: "m20")
        #expect(object["m10"] == nil && object["m20"] == .number("10"))
        #expect(object.members[9].name == "m20" && object.count == 48)
        object["new"] = .null
        #expect(object.members.last?.name == "new" && object["new"] == .null)
        for index in 0..<50 where index != 3 && index != 10 && index != 20 {
            #expect(object["m\(index)"] != nil, "m\(index)")
        }
        #expect(object == JSONObject(object.members))
    }

    @Test func smallObjectsEdit() {
        var object: JSONObject = ["a": .number("1"), "b": .number("2"), "c": .number("3")]
        object.rename("a", to: "c")
        #expect(object.members.map(\.name) == ["c", "b"])
        #expect(object["c"] == .number("1"))
        object.rename("b", to: "b")
        #expect(object.members.map(\.name) == ["c", "b"])
        let reordered: JSONObject = ["b": .number("2"), "c": .number("1")]
        #expect(object != reordered)
    }
}
