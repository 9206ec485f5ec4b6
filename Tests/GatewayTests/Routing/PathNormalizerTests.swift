import Testing

@testable import Gateway

@Suite("PathNormalizer")
struct PathNormalizerTests {
    @Test(arguments: [
        // Already normal: handed back as is.
        ("/", "/"),
        ("/users", "/users"),
        ("/users/", "/users/"),
        ("/users/1/pay", "/users/1/pay"),
        ("/a/.b", "/a/.b"),
        ("/a/..b", "/a/..b"),
        ("/a/...", "/a/..."),
        ("/a.", "/a."),
        ("/ü/é", "/ü/é"),
        // Dot segments.
        ("/api/../admin", "/admin"),
        ("/./a", "/a"),
        ("/a/./b", "/a/b"),
        ("/a/.", "/a/"),
        ("/a/./", "/a/"),
        ("/a/..", "/"),
        ("/a/../", "/"),
        ("/a/b/..", "/a/"),
        ("/..", "/"),
        ("/.", "/"),
        ("/../../etc/passwd", "/etc/passwd"),
        ("/a/b/../../../c", "/c"),
        ("/a/b/./../c/", "/a/c/"),
        // Repeated slashes.
        ("//a///b", "/a/b"),
        ("//", "/"),
        ("/a//", "/a/"),
        ("///..//a", "/a"),
        // Percent-encoding.
        ("/%61dmin", "/admin"),
        ("/%41%42c", "/ABc"),
        ("/%7Euser", "/~user"),
        ("/%7euser", "/~user"),
        ("/a%2db%5Fc%2E", "/a-b_c."),
        ("/a%2fb", "/a%2Fb"),
        ("/a%2Fb", "/a%2Fb"),
        ("/caf%c3%a9", "/caf%C3%A9"),
        ("/a%20b", "/a%20b"),
        ("/%00", "/%00"),
        // Traversal spelled with escapes.
        ("/a/%2e%2e/b", "/b"),
        ("/api/%2e%2e/admin", "/admin"),
        ("/api/%2E%2E/admin", "/admin"),
        ("/api/.%2e/admin", "/admin"),
        ("/%2e/a", "/a"),
        ("/a/%2E", "/a/"),
        ("/api/..%2fadmin", "/api/..%2Fadmin"),
        ("/api/%2e%2e%2fadmin", "/api/..%2Fadmin"),
    ])
    func normalizes(input: String, expected: String) throws {
        #expect(try PathNormalizer.normalize(input) == expected)
        #expect(try PathNormalizer.normalize(Substring(input)) == Substring(expected))
        // Idempotent: the result is in normal form.
        #expect(PathNormalizer.isNormalized(expected))
        #expect(PathNormalizer.isNormalized(input) == (input == expected))
    }

    @Test(arguments: [
        ("", PathNormalizationError.empty),
        ("users", .notAbsolute),
        ("*", .notAbsolute),
        ("http://h/a", .notAbsolute),
        ("/a%", .invalidPercentEncoding(offset: 2)),
        ("/a%2", .invalidPercentEncoding(offset: 2)),
        ("/a%zz", .invalidPercentEncoding(offset: 2)),
        ("/a%2g/b", .invalidPercentEncoding(offset: 2)),
        ("/ok/%41/%", .invalidPercentEncoding(offset: 8)),
        ("/a b", .invalidCharacter(offset: 2)),
        ("/a\tb", .invalidCharacter(offset: 2)),
        ("/a\u{0}", .invalidCharacter(offset: 2)),
        ("/a\u{7F}", .invalidCharacter(offset: 2)),
        ("/a/../b\r", .invalidCharacter(offset: 7)),
    ])
    func rejects(input: String, expected: PathNormalizationError) {
        #expect(throws: expected) { try PathNormalizer.normalize(input) }
    }

    @Test func substringOfLargerTarget() throws {
        let target = "/api/../users?x=1"
        let path = target[..<(target.firstIndex(of: "?") ?? target.endIndex)]
        #expect(try PathNormalizer.normalize(path) == "/users")
        let normal = "/users/1?x=1".prefix(8)
        #expect(try PathNormalizer.normalize(normal) == "/users/1")
    }

    @Test(arguments: [
        ("http://Example.com:8080/a/b", "Example.com", 8080 as Int?, "/a/b"),
        ("https://example.com", "example.com", nil, "/"),
        ("HTTP://example.com/", "example.com", nil, "/"),
        ("http://user:secret@host.test/x", "host.test", nil, "/x"),
        ("http://[::1]:80/x", "[::1]", 80, "/x"),
        ("http://[::1]/x", "[::1]", nil, "/x"),
        ("http://host:/x", "host", nil, "/x"),
    ])
    func splitsAbsoluteForm(target: String, host: String, port: Int?, path: String) throws {
        let split = try #require(PathNormalizer.splitAbsoluteForm(Substring(target)))
        #expect(split.host == Substring(host))
        #expect(split.port == port)
        #expect(split.path == Substring(path))
    }

    @Test(arguments: ["/just/path", "ftp://host/x", "http://", "http://host:http/", "http://host:99999/", "http://[::1/"])
    func refusesNonAbsoluteForm(target: String) {
        #expect(PathNormalizer.splitAbsoluteForm(Substring(target)) == nil)
    }
}
