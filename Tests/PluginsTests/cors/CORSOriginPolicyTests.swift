import Testing

@testable import Plugins

/// Kong's origin matching (its spec's table of origins against configured entries), without sockets.
@Suite struct CORSOriginPolicyTests {
    static let requestOrigins = [
        "http://evil.test", "http://foo.test", "http://foo.test.evil.test", "http://something.foo.test",
        "http://evilfoo.test", "http://foo.test:80", "http://foo.test:8000", "https://foo.test:8000",
        "http://foo.test:90", "http://foobtest", "https://bar.test:1234",
    ]

    /// Each case: configured origins, and the request origins that are allowed (as the value sent;
    /// every other one is refused). A fixed entry is sent whatever the request.
    static let cases: [(origins: [String], allowed: [String: String])] = [
        (
            ["foo\\.test"],
            [
                "http://foo.test": "http://foo.test", "http://foo.test:80": "http://foo.test",
                "http://foo.test:8000": "http://foo.test:8000", "https://foo.test:8000": "https://foo.test:8000",
                "http://foo.test:90": "http://foo.test:90",
            ]
        ),
        (
            ["(.*[./])?foo\\.test"],
            [
                "http://foo.test": "http://foo.test", "http://something.foo.test": "http://something.foo.test",
                "http://foo.test:80": "http://foo.test", "http://foo.test:8000": "http://foo.test:8000",
                "https://foo.test:8000": "https://foo.test:8000", "http://foo.test:90": "http://foo.test:90",
            ]
        ),
        (
            ["(.*[./])?foo\\.test:8000"],
            ["http://foo.test:8000": "http://foo.test:8000", "https://foo.test:8000": "https://foo.test:8000"]
        ),
        (["https://(.*[.])?foo\\.test:8000"], ["https://foo.test:8000": "https://foo.test:8000"]),
        (
            ["^http://(.*[.])?foo\\.test(:(80|90))?$"],
            [
                "http://foo.test": "http://foo.test", "http://something.foo.test": "http://something.foo.test",
                "http://foo.test:80": "http://foo.test", "http://foo.test:90": "http://foo.test:90",
            ]
        ),
        (["foo.test", "bar.test"], [:]),
        (
            ["http://foo.test", "https://bar.test:1234"],
            [
                "http://foo.test": "http://foo.test", "http://foo.test:80": "http://foo.test",
                "https://bar.test:1234": "https://bar.test:1234",
            ]
        ),
        (
            ["bar.test", "(.*\\.)?foo\\.test"],
            [
                "http://foo.test": "http://foo.test", "http://something.foo.test": "http://something.foo.test",
                "http://foo.test:80": "http://foo.test", "http://foo.test:8000": "http://foo.test:8000",
                "https://foo.test:8000": "https://foo.test:8000", "http://foo.test:90": "http://foo.test:90",
            ]
        ),
    ]

    @Test(arguments: cases.indices)
    func matchesLikeKong(index: Int) throws {
        let (origins, allowed) = Self.cases[index]
        let policy = try CORSOriginPolicy(origins: origins)
        for origin in Self.requestOrigins {
            let decision = policy.decide(requestOrigin: origin)
            #expect(decision.allowOrigin == allowed[origin], "\(origins) with \(origin)")
            #expect(decision.varies)
            #expect(!decision.allowsAll)
        }
    }

    @Test func fixedEntryIsSentWhateverTheOrigin() throws {
        for entry in ["foo.test", "https://bar.test:1234"] {
            let policy = try CORSOriginPolicy(origins: [entry])
            for origin in Self.requestOrigins + [""] {
                #expect(policy.decide(requestOrigin: origin) == .init(allowOrigin: entry, allowsAll: false, varies: true))
            }
        }
    }

    @Test func wildcards() throws {
        let everyone = CORSOriginPolicy.Decision(allowOrigin: "*", allowsAll: true, varies: false)
        #expect(try CORSOriginPolicy(origins: []).decide(requestOrigin: "http://a.test") == everyone)
        #expect(try CORSOriginPolicy(origins: ["*"]).decide(requestOrigin: nil) == everyone)
        let listed = try CORSOriginPolicy(origins: ["http://a.test", "*"])
        #expect(listed.decide(requestOrigin: "http://b.test") == .init(allowOrigin: "*", allowsAll: true, varies: true))
        #expect(listed.decide(requestOrigin: nil) == .init(allowOrigin: nil, allowsAll: false, varies: true))
    }

    @Test(arguments: [
        ("http://a.test:80", "http://a.test", "a.test"),
        ("https://a.test:443", "https://a.test", "a.test"),
        ("https://a.test:80", "https://a.test:80", "a.test"),
        ("http://user@a.test:8080/path?q", "http://a.test:8080", "a.test"),
        ("a.test", "a.test", "a.test"),
        ("null", "null", "null"),
    ])
    func normalizesOrigins(text: String, domain: String, host: String) {
        #expect(NormalizedOrigin(text) == NormalizedOrigin(domain: domain, host: host))
    }

    @Test(arguments: [("foo.test", false), ("https://a.test:1", false), ("foo\\.test", true), ("*.a.test", true), ("a_b", true)])
    func tellsRegexesFromPlainOrigins(origin: String, isRegex: Bool) {
        #expect(CORSOriginPolicy.looksLikeRegex(origin) == isRegex)
    }
}
