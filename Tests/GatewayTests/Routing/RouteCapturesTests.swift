import Testing

@testable import Gateway

@Suite("Regex captures")
struct RouteCapturesTests {
    @Test func namedAndNumberedCaptures() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, paths: [#"~/users/(?<user_id>\d+)/profile/?(?<scope>[a-z]*)"#])
        ])
        let match = try #require(table.match(RouteRequest(method: "GET", host: "", path: "/users/1984/profile/email")))
        #expect(match.captures.named == ["user_id": "1984", "scope": "email"])
        #expect(match.captures.numbered == ["1984", "email"])
        #expect(match.matchedPath == "/users/1984/profile/email")
    }

    @Test func optionalGroupThatDidNotTakePart() throws {
        let table = try makeTable([RouteDefinition(id: 0, paths: [#"~/(users/)?1984/(?<subpath>profile)$"#])])
        let match = try #require(table.match(RouteRequest(method: "GET", host: "", path: "/1984/profile")))
        #expect(match.captures.numbered == [nil, "profile"])
        #expect(match.captures.named == ["subpath": "profile"])
    }

    @Test func pythonStyleNamedGroup() throws {
        let table = try makeTable([RouteDefinition(id: 0, paths: [#"~/users/(?P<user_id>\d+)/pay$"#])])
        let match = try #require(table.match(RouteRequest(method: "POST", host: "", path: "/users/42/pay")))
        #expect(match.captures.named["user_id"] == "42")
    }

    @Test func noCapturesForPlainPathsOrGrouplessRegexes() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, paths: ["/plain"]),
            RouteDefinition(id: 1, paths: [#"~/regex/\d+"#]),
        ])
        let plain = try #require(table.match(RouteRequest(method: "GET", host: "", path: "/plain/1")))
        #expect(plain.captures == RouteCaptures())
        let regex = try #require(table.match(RouteRequest(method: "GET", host: "", path: "/regex/12/x")))
        #expect(regex.captures.isEmpty)
        #expect(regex.matchedPath == "/regex/12")
    }

    @Test func digitsAreAsciiOnly() throws {
        let table = try makeTable([RouteDefinition(id: 0, paths: [#"~/users/(?<id>\d+)$"#])])
        #expect(table.routeID("/users/١٢٣") == nil)
        #expect(table.routeID("/users/123") == 0)
    }
}
