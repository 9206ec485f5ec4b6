import Gateway
import Testing

@Suite struct ConfigValueTypeTests {
    @Test(arguments: [
        ("500ms", Int64(500)), ("10s", 10_000), ("2m", 120_000), ("1h", 3_600_000), ("1m30s", 90_000),
        ("10", 10_000), ("0s", 0),
    ])
    func durations(_ text: String, _ milliseconds: Int64) {
        #expect(ConfigDuration(parsing: text)?.milliseconds == milliseconds)
    }

    @Test(arguments: ["", "10x", "ms", "1.5s", "-1s", "10 s", "s10"])
    func invalidDurations(_ text: String) {
        #expect(ConfigDuration(parsing: text) == nil)
    }

    @Test func durationDescriptions() {
        #expect(ConfigDuration(milliseconds: 500).description == "500ms")
        #expect(ConfigDuration.seconds(10).description == "10s")
        #expect(ConfigDuration.seconds(120).description == "2m")
        #expect(ConfigDuration.seconds(10).duration == .seconds(10))
    }

    @Test(arguments: [("32768", 32768), ("32k", 32768), ("8M", 8_388_608), ("1g", 1_073_741_824), ("0", 0)])
    func byteSizes(_ text: String, _ bytes: Int) {
        #expect(ConfigByteSize(parsing: text)?.bytes == bytes)
    }

    @Test(arguments: ["", "k", "1.5k", "-1", "12kb"])
    func invalidByteSizes(_ text: String) {
        #expect(ConfigByteSize(parsing: text) == nil)
    }

    @Test(
        arguments: [
            ("strp_path", ["strip_path", "paths"], "strip_path"),
            ("Name", ["name"], "name"),
            ("retires", ["retries", "tags"], "retries"),
            ("colour", ["paths", "hosts"], nil),
            ("x", ["y"], "y"),
            ("ab", ["xy"], nil),
        ] as [(String, [String], String?)]
    )
    func suggestions(_ word: String, _ candidates: [String], _ expected: String?) {
        #expect(Suggestion.closest(to: word, among: candidates) == expected)
    }

    @Test func editDistanceCountsTranspositionsAsOne() {
        #expect(Suggestion.distance("ab", "ba") == 1)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
        #expect(Suggestion.distance("", "abc") == 3)
    }
}
