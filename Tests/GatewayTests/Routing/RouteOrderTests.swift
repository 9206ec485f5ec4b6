import Testing

@testable import Gateway

/// The order of `orderedEntries`: Kong's `traditional_compatible` priority, one rule per case.
@Suite("Route order")
struct RouteOrderTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let rule: String
        let routes: [RouteDefinition]
        /// Route ids in match order (one per entry).
        let expected: [Int]
        var testDescription: String { rule }
    }

    static let cases: [Case] = [
        Case(
            rule: "more fields set first",
            routes: [
                RouteDefinition(id: 0, paths: ["/users/long/prefix"]),
                RouteDefinition(id: 1, methods: ["GET"], paths: ["/users"]),
                RouteDefinition(id: 2, hosts: ["example.com"], methods: ["GET"], paths: ["/u"]),
            ],
            expected: [2, 1, 0]
        ),
        Case(
            rule: "plain hosts only before any wildcard host",
            routes: [
                RouteDefinition(id: 0, hosts: ["*.example.com"], paths: ["/much/longer/path"]),
                RouteDefinition(id: 1, hosts: ["api.example.com", "example.*"], paths: ["/much/longer"]),
                RouteDefinition(id: 2, hosts: ["api.example.com"], paths: ["/m"]),
            ],
            expected: [2, 0, 1]
        ),
        Case(
            rule: "more headers first, even over a longer path",
            routes: [
                RouteDefinition(id: 0, headers: ["version": ["v1"]], paths: ["/my-route/hello"]),
                RouteDefinition(id: 1, headers: ["version": ["v1"], "location": ["us-east"]], paths: ["/my-route"]),
            ],
            expected: [1, 0]
        ),
        Case(
            rule: "regex path before plain paths",
            routes: [
                RouteDefinition(id: 0, paths: ["/users/1234567890"]),
                RouteDefinition(id: 1, paths: [#"~/users/\d+"#]),
            ],
            expected: [1, 0]
        ),
        Case(
            rule: "higher regex_priority first among regex paths",
            routes: [
                RouteDefinition(id: 0, paths: ["~/a"], regexPriority: 0),
                RouteDefinition(id: 1, paths: ["~/b"], regexPriority: 10),
                RouteDefinition(id: 2, paths: ["~/c"], regexPriority: -1),
            ],
            expected: [1, 0, 2]
        ),
        Case(
            rule: "regex_priority means nothing for plain paths",
            routes: [
                RouteDefinition(id: 0, paths: ["/a"], regexPriority: 100),
                RouteDefinition(id: 1, paths: ["/ab"]),
                RouteDefinition(id: 2, paths: ["~/z"], regexPriority: -5),
            ],
            expected: [2, 1, 0]
        ),
        Case(
            rule: "longer plain prefix first",
            routes: [
                RouteDefinition(id: 0, paths: ["/"]),
                RouteDefinition(id: 1, paths: ["/users"]),
                RouteDefinition(id: 2, paths: ["/users/admin"]),
            ],
            expected: [2, 1, 0]
        ),
        Case(
            rule: "definition order breaks ties",
            routes: [
                RouteDefinition(id: 0, methods: ["GET"], paths: ["/aaa"]),
                RouteDefinition(id: 1, methods: ["POST"], paths: ["/bbb"]),
                RouteDefinition(id: 2, methods: ["PUT"], paths: ["/ccc"]),
            ],
            expected: [0, 1, 2]
        ),
        Case(
            rule: "a route with several paths has one entry per path, ranked separately",
            routes: [
                RouteDefinition(id: 0, paths: ["/a", "/abcdef", "~/r"]),
                RouteDefinition(id: 1, paths: ["/abc"]),
            ],
            expected: [0, 0, 1, 0]
        ),
        Case(
            rule: "routes without paths count their other fields (and a prefix length of 0)",
            routes: [
                RouteDefinition(id: 0, hosts: ["example.com"]),
                RouteDefinition(id: 1, methods: ["GET"]),
                RouteDefinition(id: 2, hosts: ["example.com"], methods: ["GET"]),
                RouteDefinition(id: 3, paths: ["/x"]),
            ],
            expected: [2, 0, 3, 1]
        ),
    ]

    @Test(arguments: cases)
    func order(_ testCase: Case) throws {
        let table = try makeTable(testCase.routes)
        #expect(table.orderedRouteIDs == testCase.expected)
    }

    @Test func entriesDescribeTheirConditions() throws {
        let table = try makeTable([
            RouteDefinition(
                id: 7,
                name: "pay",
                hosts: ["API.example.com"],
                methods: ["post"],
                headers: ["X-Version": ["v1", "~*^v2"]],
                paths: ["/a", #"~/users/(?<id>\d+)/pay$"#],
                regexPriority: 3,
                stripPath: false
            )
        ])
        #expect(table.orderedEntries.map(\.path) == [#"~/users/(?<id>\d+)/pay$"#, "/a"])
        let regexEntry = try #require(table.orderedEntries.first)
        #expect(regexEntry.name == "pay")
        #expect(regexEntry.methods == ["POST"])
        #expect(regexEntry.hosts == ["api.example.com"])
        #expect(regexEntry.headers == [OrderedRouteEntry.Header(name: "x-version", values: ["v1", "~*^v2"])])
        #expect(
            regexEntry.description
                == #"POST api.example.com ~/users/(?<id>\d+)/pay$ x-version=v1|~*^v2 regex_priority=3 strip_path=false"#
        )
        #expect(regexEntry.summary(showingHeaderValues: false).contains("x-version=…"))
        #expect(table.orderedEntries[1].description == "POST api.example.com /a x-version=v1|~*^v2 strip_path=false")
    }
}
