import Testing

@testable import Gateway

/// Correctness at size: 10,000 plain prefix routes (no timing assertions).
@Suite("Route table at scale")
struct RouteTableScaleTests {
    static let table: RouteTable? = {
        var routes: [RouteDefinition] = []
        for index in 0..<10_000 {
            routes.append(RouteDefinition(id: index, paths: ["/svc\(index)/v\(index % 7)"]))
        }
        routes.append(RouteDefinition(id: 10_000, paths: ["/"]))
        routes.append(RouteDefinition(id: 10_001, paths: ["/svc1"]))
        routes.append(RouteDefinition(id: 10_002, hosts: ["tenant42.example.com"], paths: ["/svc42"]))
        return try? RouteTable(routes)
    }()

    @Test(arguments: [
        ("/svc0/v0", "example.com", 0),
        ("/svc9999/v3/items/1", "example.com", 9999),
        ("/svc123/v4", "example.com", 123),
        ("/svc23/v5", "example.com", 10_000),  // wrong version: only the catch-all
        ("/svc123/v5", "example.com", 10_001),  // wrong version, but "/svc1" is a string prefix
        ("/svc1/v1", "example.com", 1),
        ("/svc1/v2", "example.com", 10_001),  // "/svc1" is a prefix of it; "/svc1/v1" is not
        ("/svc10/v3", "example.com", 10),
        ("/svc100/v2x", "example.com", 100),  // plain prefixes are string prefixes
        ("/svc42/v0", "tenant42.example.com", 10_002),  // the host route outranks the longer path
        ("/svc42/v0", "example.com", 42),
        ("/nothing", "example.com", 10_000),
    ])
    func matches(path: String, host: String, expected: Int) throws {
        let table = try #require(Self.table)
        #expect(table.count == 10_003)
        #expect(table.routeID(path, host: host) == expected)
    }
}
