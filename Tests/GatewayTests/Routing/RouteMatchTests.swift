import Testing

@testable import Gateway

/// Which route wins, for Kong's well-known cases (`spec/01-unit/08-router_spec.lua`).
@Suite("Route matching")
struct RouteMatchTests {
    @Test func catchAllLosesToLongerPrefix() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, paths: ["/"]),
            RouteDefinition(id: 1, paths: ["/users"]),
        ])
        #expect(table.routeID("/users/1") == 1)
        #expect(table.routeID("/users") == 1)
        #expect(table.routeID("/usersx") == 1, "a plain path is a string prefix")
        #expect(table.routeID("/user") == 0)
        #expect(table.routeID("/") == 0)
    }

    @Test func longerPrefixWinsOnlyWhereItMatches() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, paths: ["/my-route/hello"]),
            RouteDefinition(id: 1, paths: ["/my-route"]),
        ])
        #expect(table.routeID("/my-route/hello") == 0)
        #expect(table.routeID("/my-route/hello/world") == 0)
        #expect(table.routeID("/my-route") == 1)
        #expect(table.routeID("/my-route/world") == 1)
        #expect(table.routeID("/other") == nil)
    }

    @Test func methodAndPathBeatPath() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, paths: ["/users/admin"]),
            RouteDefinition(id: 1, methods: ["POST"], paths: ["/users"]),
        ])
        #expect(table.routeID("POST", "/users/admin") == 1, "more fields set wins over a longer prefix")
        #expect(table.routeID("GET", "/users/admin") == 0)
        #expect(table.routeID("GET", "/users") == nil)
    }

    @Test func prefixIsAnchored() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, paths: ["/something/my-route"]),
            RouteDefinition(id: 1, hosts: ["example.com"], paths: ["/my-route"]),
        ])
        #expect(table.routeID("/something/my-route") == 0)
    }

    @Test func regexWithHigherPriorityWins() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, paths: [#"~/users/\d+"#], regexPriority: 0),
            RouteDefinition(id: 1, paths: [#"~/users/\d+/profile"#], regexPriority: 5),
            RouteDefinition(id: 2, paths: ["/users/1/profile/full"]),
        ])
        #expect(table.routeID("/users/1/profile/full") == 1, "a regex beats even an exact plain match")
        #expect(table.routeID("/users/1/settings") == 0)
        #expect(table.routeID("/users/x") == nil)
    }

    @Test func regexIsAnchoredAtStartOnly() throws {
        let table = try makeTable([RouteDefinition(id: 0, paths: ["~/pay"])])
        #expect(table.routeID("/pay/now") == 0)
        #expect(table.routeID("/api/pay") == nil)
    }

    @Test func regexWithoutLiteralLeadIsStillTried() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, paths: ["~(?i)/admin"]),
            RouteDefinition(id: 1, paths: ["~/(a|b)/x"]),
            RouteDefinition(id: 2, paths: ["~^/c|/d"]),
            RouteDefinition(id: 3, paths: ["/"]),
        ])
        #expect(table.routeID("/ADMIN/x") == 0)
        #expect(table.routeID("/b/x") == 1)
        #expect(table.routeID("/d") == 2)
        #expect(table.routeID("/e") == 3)
    }

    @Test func plainHostBeatsWildcardHost() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, hosts: ["*.route.com"]),
            RouteDefinition(id: 1, hosts: ["route.*"]),
            RouteDefinition(id: 2, hosts: ["plain.route.com"]),
            RouteDefinition(id: 3, hosts: ["route.com"]),
        ])
        #expect(table.routeID("/", host: "route.com") == 3)
        #expect(table.routeID("/", host: "route.org") == 1)
        #expect(table.routeID("/", host: "plain.route.com") == 2)
        #expect(table.routeID("/", host: "foo.route.com") == 0)
        #expect(table.routeID("/", host: "a.b.route.com") == 0)
        #expect(table.routeID("/", host: "other.org") == nil)
    }

    @Test func wildcardHostWithPathBeatsPlainHostAlone() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, hosts: ["plain.route.com"]),
            RouteDefinition(id: 1, hosts: ["*.route.com"], paths: ["/path1"]),
        ])
        #expect(table.routeID("/path1", host: "plain.route.com") == 1)
        #expect(table.routeID("/path2", host: "plain.route.com") == 0)
    }

    @Test func wildcardNeedsALabel() throws {
        let table = try makeTable([RouteDefinition(id: 0, hosts: ["*.example.com", "api.*"])])
        #expect(table.routeID("/", host: "example.com") == nil)
        #expect(table.routeID("/", host: "x.example.com") == 0)
        #expect(table.routeID("/", host: "api.internal") == 0)
        #expect(table.routeID("/", host: "api") == nil)
    }

    @Test func hostWithPort() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, hosts: ["example.com:8443"], paths: ["/"]),
            RouteDefinition(id: 1, hosts: ["example.com"], paths: ["/"]),
            RouteDefinition(id: 2, hosts: ["*.example.com:9000"]),
        ])
        #expect(table.routeID("/", host: "example.com", port: 8443) == 0)
        #expect(table.routeID("/", host: "example.com", port: 80) == 1)
        #expect(table.routeID("/", host: "example.com") == 1)
        #expect(table.routeID("/", host: "a.example.com", port: 9000) == 2)
        #expect(table.routeID("/", host: "a.example.com") == nil)
    }

    @Test func hostsAreCaseInsensitiveInRoutes() throws {
        let table = try makeTable([RouteDefinition(id: 0, hosts: ["API.Example.COM"])])
        #expect(table.routeID("/", host: "api.example.com") == 0)
    }

    @Test func methodsAreUpperCasedInRoutes() throws {
        let table = try makeTable([RouteDefinition(id: 0, methods: ["get", "Post"])])
        #expect(table.routeID("GET", "/") == 0)
        #expect(table.routeID("POST", "/") == 0)
        #expect(table.routeID("PUT", "/") == nil)
    }

    @Test func hostIndexAndWildcardsCompeteByRank() throws {
        // Route 1 is only in the exact-host index, route 0 only in the any-host trie: the
        // better-ranked of the two must win whichever index it came from.
        let table = try makeTable([
            RouteDefinition(id: 0, hosts: ["*.example.com"], paths: ["/a/b/c"]),
            RouteDefinition(id: 1, hosts: ["api.example.com"], paths: ["/a"]),
            RouteDefinition(id: 2, hosts: ["*.example.com"], methods: ["GET"], paths: ["/"]),
        ])
        #expect(table.routeID("GET", "/a/b/c", host: "api.example.com") == 2)
        #expect(table.routeID("POST", "/a/b/c", host: "api.example.com") == 1)
        #expect(table.routeID("POST", "/a/b/c", host: "www.example.com") == 0)
        #expect(table.routeID("POST", "/x", host: "api.example.com") == nil)
    }

    @Test func normalizedPathCannotReachOtherRoute() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, paths: ["/api"]),
            RouteDefinition(id: 1, methods: ["GET"], paths: ["/admin"]),
        ])
        for raw in ["/api/../admin", "/api/%2e%2e/admin", "/%61dmin", "//admin"] {
            let path = try PathNormalizer.normalize(raw)
            #expect(table.routeID(path) == 1, "\(raw)")
        }
        let encodedSlash = try PathNormalizer.normalize("/api/..%2fadmin")
        #expect(table.routeID(encodedSlash) == 0)
    }

    @Test func emptyTableMatchesNothing() {
        #expect(RouteTable.empty.routeID("/") == nil)
        #expect(RouteTable.empty.count == 0)
    }

    @Test func matchReportsEntryAndStripPath() throws {
        let table = try makeTable([
            RouteDefinition(id: 4, paths: ["/short", "/longer"], stripPath: false)
        ])
        let match = try #require(table.match(RouteRequest(method: "GET", host: "", path: "/short/x")))
        #expect(match.routeID == 4)
        #expect(match.entryIndex == 1)
        #expect(match.matchedPath == "/short")
        #expect(match.stripPath == false)
        #expect(match.captures.isEmpty)
        #expect(table.orderedEntries[match.entryIndex].path == "/short")
    }
}
