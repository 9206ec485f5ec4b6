import Testing

@testable import Gateway

@Suite("Route definition problems")
struct RouteDefinitionValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let route: RouteDefinition
        let field: RouteDefinitionProblem.Field
        let index: Int?
        let messageStart: String
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "no condition",
            route: RouteDefinition(id: 1),
            field: .route,
            index: nil,
            messageStart: "must set one of 'methods', 'hosts', 'headers', 'paths'"
        ),
        Case(
            label: "path without slash",
            route: RouteDefinition(id: 1, paths: ["/ok", "users"]),
            field: .paths,
            index: 1,
            messageStart: "should start with: / (fixed path) or ~/ (regex path)"
        ),
        Case(
            label: "non-normalised path",
            route: RouteDefinition(id: 1, paths: ["/a/../b"]),
            field: .paths,
            index: 0,
            messageStart: "non-normalized path, consider use '/b' instead"
        ),
        Case(
            label: "encoded unreserved",
            route: RouteDefinition(id: 1, paths: ["/%7Euser"]),
            field: .paths,
            index: 0,
            messageStart: "non-normalized path, consider use '/~user' instead"
        ),
        Case(
            label: "bad escape",
            route: RouteDefinition(id: 1, paths: ["/a%zz"]),
            field: .paths,
            index: 0,
            messageStart: "invalid url-encoded value"
        ),
        Case(
            label: "bad character",
            route: RouteDefinition(id: 1, paths: ["/a b"]),
            field: .paths,
            index: 0,
            messageStart: "invalid path: '/a b' (characters outside of the reserved list of RFC 3986 found)"
        ),
        Case(
            label: "bad regex",
            route: RouteDefinition(id: 1, paths: ["~/users/(\\d+"]),
            field: .paths,
            index: 0,
            messageStart: "invalid regex: '/users/(\\d+'"
        ),
        Case(
            label: "empty regex",
            route: RouteDefinition(id: 1, paths: ["~"]),
            field: .paths,
            index: 0,
            messageStart: "invalid regex"
        ),
        Case(
            label: "wildcard in the middle",
            route: RouteDefinition(id: 1, hosts: ["a.*.com"]),
            field: .hosts,
            index: 0,
            messageStart: "invalid wildcard"
        ),
        Case(
            label: "two wildcards",
            route: RouteDefinition(id: 1, hosts: ["*.example.*"]),
            field: .hosts,
            index: 0,
            messageStart: "invalid wildcard"
        ),
        Case(
            label: "bare wildcard",
            route: RouteDefinition(id: 1, hosts: ["*"]),
            field: .hosts,
            index: 0,
            messageStart: "invalid wildcard"
        ),
        Case(
            label: "bad port",
            route: RouteDefinition(id: 1, hosts: ["example.com:http"]),
            field: .hosts,
            index: 0,
            messageStart: "invalid port number"
        ),
        Case(
            label: "empty host",
            route: RouteDefinition(id: 1, hosts: [""]),
            field: .hosts,
            index: 0,
            messageStart: "invalid hostname"
        ),
        Case(
            label: "bad method",
            route: RouteDefinition(id: 1, methods: ["GET", "GE T"]),
            field: .methods,
            index: 1,
            messageStart: "invalid value: GE T"
        ),
        Case(
            label: "host header",
            route: RouteDefinition(id: 1, headers: ["Host": ["a"]]),
            field: .headers,
            index: nil,
            messageStart: "cannot contain 'host' header"
        ),
        Case(
            label: "header without values",
            route: RouteDefinition(id: 1, headers: ["x-a": []]),
            field: .headers,
            index: nil,
            messageStart: "must have at least one value"
        ),
        Case(
            label: "bad header regex",
            route: RouteDefinition(id: 1, headers: ["x-a": ["ok", "~*("]]),
            field: .headers,
            index: 1,
            messageStart: "invalid regex"
        ),
        Case(
            label: "bad header name",
            route: RouteDefinition(id: 1, headers: ["x a": ["v"]]),
            field: .headers,
            index: nil,
            messageStart: "invalid header name"
        ),
    ]

    @Test(arguments: cases)
    func reportsProblem(_ testCase: Case) throws {
        let problems = testCase.route.problems
        try #require(problems.count == 1, "\(problems)")
        let problem = problems[0]
        #expect(problem.routeID == 1)
        #expect(problem.field == testCase.field)
        #expect(problem.index == testCase.index)
        #expect(problem.message.hasPrefix(testCase.messageStart), "\(problem.message)")
    }

    @Test func tableReportsEveryProblemOfEveryRoute() {
        #expect {
            try RouteTable([
                RouteDefinition(id: 0, paths: ["/fine"]),
                RouteDefinition(id: 1, hosts: ["a.*.b"], paths: ["nope"]),
                RouteDefinition(id: 2, headers: ["x-v": ["~*["]]),
            ])
        } throws: { error in
            guard let error = error as? RouteTableError else { return false }
            return error.problems.map(\.routeID) == [1, 1, 2]
                && error.problems.map(\.field) == [.hosts, .paths, .headers]
                && error.problems[2].key == "x-v"
        }
    }

    @Test func validRoutesHaveNoProblems() {
        let route = RouteDefinition(
            id: 0,
            hosts: ["api.example.com:8000", "*.example.org", "example.*", "[::1]:80"],
            methods: ["GET", "post"],
            headers: ["X-Version": ["v1", "~*^v[23]$"]],
            paths: ["/", "/users/", "/a%2Fb", "/~me", "/x:y@z!$&'()*+,;=", #"~/users/(?<id>\d+)$"#]
        )
        #expect(route.problems.isEmpty)
    }

    @Test func problemDescriptionNamesTheValue() {
        let problem = RouteDefinitionProblem(routeID: 3, field: .headers, key: "x-v", index: 1, message: "bad")
        #expect(problem.description == "route 3: headers.x-v[1]: bad")
    }
}
