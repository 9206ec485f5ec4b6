import Testing

@testable import Gateway

@Suite("Route header conditions")
struct RouteHeadersTests {
    @Test(
        arguments: [
            (["version": ["v1"]], true),
            (["version": ["V1"]], true),
            (["version": ["v2"]], true),
            (["version": ["v3"]], false),
            (["version": ["v3", "v2"]], true),
            (["version": ["v1x"]], false),
            ([:], false),
        ] as [([String: [String]], Bool)]
    )
    func exactValuesIgnoreCase(headers: [String: [String]], matches: Bool) throws {
        let table = try makeTable([RouteDefinition(id: 0, headers: ["Version": ["v1", "V2"]])])
        #expect((table.routeID("/", headers: headers) == 0) == matches)
    }

    @Test(arguments: [
        ("Mozilla/5.0 (iPhone)", true),
        ("mozilla/5.0 (IPHONE; x)", true),
        ("curl/8", false),
    ])
    func regexValuesAreCaseInsensitiveSearches(userAgent: String, matches: Bool) throws {
        let table = try makeTable([RouteDefinition(id: 0, headers: ["user-agent": ["~*iphone"]])])
        #expect((table.routeID("/", headers: ["user-agent": [userAgent]]) == 0) == matches)
    }

    @Test func everyHeaderNameMustMatch() throws {
        let table = try makeTable([
            RouteDefinition(id: 0, headers: ["version": ["v1"], "location": ["us-east"]], paths: ["/my-route"]),
            RouteDefinition(id: 1, headers: ["version": ["v1"]], paths: ["/my-route/hello"]),
        ])
        let both = ["version": ["v1"], "location": ["us-east"]]
        #expect(table.routeID("/my-route/hello", headers: both) == 0, "more headers beat a longer path")
        #expect(table.routeID("/my-route/hello", headers: ["version": ["v1"]]) == 1)
        #expect(table.routeID("/my-route", headers: ["location": ["us-east"]]) == nil)
    }

    /// A header accessor that is not a dictionary, to check names are asked in lower case.
    struct RecordingHeaders: RouteHeaders {
        let fields: [(String, String)]
        func containsValue(forName name: String, where predicate: (Substring) -> Bool) -> Bool {
            fields.contains { $0.0.lowercased() == name && predicate(Substring($0.1)) }
        }
    }

    @Test func customAccessorWithRepeatedHeaders() throws {
        let table = try makeTable([RouteDefinition(id: 0, headers: ["X-Tenant": ["acme"]])])
        let headers = RecordingHeaders(fields: [("X-TENANT", "other"), ("x-tenant", "ACME")])
        #expect(table.match(RouteRequest(method: "GET", host: "h", path: "/", headers: headers))?.routeID == 0)
    }
}
