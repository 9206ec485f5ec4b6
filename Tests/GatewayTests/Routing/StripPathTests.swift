import Testing

@testable import Gateway

@Suite("strip_path and upstream path")
struct StripPathTests {
    /// (route path, request path, stripped path)
    @Test(arguments: [
        ("/users", "/users/1", "/1"),
        ("/users", "/users", "/"),
        ("/users", "/users/", "/"),
        ("/users", "/usersx", "/x"),
        ("/users/", "/users/1", "/1"),
        ("/", "/users/1", "/users/1"),
        ("/", "/", "/"),
        ("/a", "/a./b", "/b"),
        ("/a", "/a../b", "/b"),
        ("/a", "/a..", "/"),
        (#"~/users/\d+"#, "/users/42/pay", "/pay"),
        (#"~/users/(?<id>\d+)/pay$"#, "/users/42/pay", "/"),
    ])
    func strippedPath(routePath: String, requestPath: String, expected: String) throws {
        let table = try makeTable([RouteDefinition(id: 0, paths: [routePath])])
        let match = try #require(table.match(RouteRequest(method: "GET", host: "", path: requestPath)))
        #expect(RouteTable.strippedPath(for: match, path: requestPath) == expected)
    }

    @Test func routeWithoutPathStripsNothing() throws {
        let table = try makeTable([RouteDefinition(id: 0, hosts: ["example.com"])])
        let match = try #require(table.match(RouteRequest(method: "GET", host: "example.com", path: "/a/b")))
        #expect(match.matchedPath == nil)
        #expect(RouteTable.strippedPath(for: match, path: "/a/b") == "/a/b")
    }

    /// Kong's `get_upstream_uri_v0` table: (service path, strip_path, route path, request, upstream).
    @Test(
        arguments: [
            (nil, true, "/my-route", "/my-route/hello/world", "/hello/world"),
            ("/", true, "/my-route", "/my-route", "/"),
            ("/", false, "/my-route", "/my-route/hello/world", "/my-route/hello/world"),
            ("/", true, "/", "/my-route/hello/world", "/my-route/hello/world"),
            ("/base", true, "/users", "/users", "/base"),
            ("/base", true, "/users", "/users/", "/base/"),
            ("/base", true, "/users", "/users/1", "/base/1"),
            ("/base", true, "/users", "/usersx", "/base/x"),
            ("/base", false, "/users", "/users/1", "/base/users/1"),
            ("/base", false, "/", "/", "/base"),
            ("/base/", true, "/users", "/users", "/base"),
            ("/base/", true, "/users", "/users/", "/base/"),
            ("/base/", true, "/users", "/users/1", "/base/1"),
            ("/base/", true, "/users", "/usersx", "/base/x"),
            ("/base/", false, "/users", "/users/1", "/base/users/1"),
        ] as [(String?, Bool, String, String, String)]
    )
    func upstreamPath(servicePath: String?, strip: Bool, routePath: String, requestPath: String, expected: String) throws {
        let table = try makeTable([RouteDefinition(id: 0, paths: [routePath], stripPath: strip)])
        let match = try #require(table.match(RouteRequest(method: "GET", host: "", path: requestPath)))
        #expect(RouteTable.upstreamPath(for: match, requestPath: requestPath, servicePath: servicePath) == expected)
    }
}
