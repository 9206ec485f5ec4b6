import Testing

@testable import Gateway

@Suite("Regex literal prefix")
struct RegexLiteralPrefixTests {
    @Test(arguments: [
        (#"/users/(?<id>\d+)/pay$"#, "/users/"),
        (#"/users/\d+"#, "/users/"),
        ("/users", "/users"),
        ("^/users/x", "/users/x"),
        ("/users?", "/user"),
        ("/users*", "/user"),
        ("/users+", "/user"),
        ("/ab{2}", "/a"),
        (#"/v1\.0/x"#, "/v1.0/x"),
        (#"/a\/b"#, "/a/b"),
        ("/a.b", "/a"),
        ("/a[bc]", "/a"),
        ("/(a|b)", "/"),
        ("/a|/b", ""),
        ("^/c|/d", ""),
        ("/[|]x", "/"),
        (#"/\|x"#, "/|x"),
        ("(?i)/admin", ""),
        (".*", ""),
        (#"\d+"#, ""),
        ("/café", "/caf"),
        ("/a$", "/a"),
    ])
    func literalPrefix(pattern: String, expected: String) {
        #expect(RegexLiteralPrefix.of(pattern) == expected)
    }
}
