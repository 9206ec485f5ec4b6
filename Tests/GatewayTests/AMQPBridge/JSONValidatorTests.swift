import Foundation
import Testing

@testable import Gateway

@Suite("JSONValidator")
struct JSONValidatorTests {
    static let valid = [
        "{}", "[]", "0", "-0", "1.5e10", "-1.25E-3", "\"\"", "true", "false", "null", " \t\r\n{ \"a\" : [1, 2, {\"b\": null}] } ",
        #"{"amount": 1250, "to_user_id": 2, "description": "caf\u00e9 \"x\" \\ \/"}"#, "\"é日本🎉\"", "[[[[[]]]]]",
        "12345678901234567890123",
    ]
    static let invalid = [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "01", "-", "1.", ".5", "1e", "+1", "tru", "nul", "truex",
        "{} {}", "[1 2]", "{\"a\" 1}", "\"unterminated", "\"bad \\x escape\"", "\"\\u12G4\"", "\"tab\tinside\"", "NaN",
        "Infinity", "// comment\n{}", "{\"a\":1}/", "\u{FEFF}{}",
    ]

    @Test(arguments: valid)
    func acceptsWhatFoundationAccepts(_ text: String) {
        #expect(JSONValidator.isValid(Array(text.utf8)))
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil)
    }

    @Test(arguments: invalid)
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(!JSONValidator.isValid(Array(text.utf8)))
    }

    @Test func refusesInvalidUTF8InStrings() {
        for bytes: [UInt8] in [
            [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
            [0x22, 0xE2, 0x82, 0x22],
        ] {
            #expect(!JSONValidator.isValid(bytes))
        }
        #expect(JSONValidator.isValid([0x22, 0xE2, 0x82, 0xAC, 0x22]))  // "€"
    }

    @Test func boundsNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(!JSONValidator.isValid(Array(deep.utf8)))
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(JSONValidator.isValid(Array(fine.utf8)))
    }
}
