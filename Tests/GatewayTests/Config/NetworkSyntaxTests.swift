import Gateway
import Testing

@Suite struct NetworkSyntaxTests {
    @Test(arguments: ["127.0.0.1", "0.0.0.0", "255.255.255.255"])
    func validIPv4(_ text: String) { #expect(NetworkSyntax.isIPv4(text)) }

    @Test(arguments: ["256.0.0.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "", "01234.1.1.1"])
    func invalidIPv4(_ text: String) { #expect(!NetworkSyntax.isIPv4(text)) }

    @Test(arguments: ["::1", "::", "fe80::1", "2001:db8::8a2e:370:7334", "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1"])
    func validIPv6(_ text: String) { #expect(NetworkSyntax.isIPv6(text)) }

    @Test(arguments: ["1:2:3:4:5:6:7", "1::2::3", "12345::", "g::1", "1:2:3:4:5:6:7:8:9"])
    func invalidIPv6(_ text: String) { #expect(!NetworkSyntax.isIPv6(text)) }

    @Test(
        arguments: [
            ("10.0.0.0/8", true), ("10.0.0.1", true), ("::/0", true), ("fe80::/129", false),
            ("10.0.0.0/33", false), ("10.0.0.0/", false), ("host/8", false),
        ] as [(String, Bool)]
    )
    func cidr(_ text: String, _ valid: Bool) { #expect(NetworkSyntax.isCIDR(text) == valid) }

    @Test(
        arguments: [
            ("example.com", true), ("a-b.c_d.io", true), ("localhost", true), ("-bad.com", false),
            ("a..b", false), ("has space", false), ("", false),
        ] as [(String, Bool)]
    )
    func hostnames(_ text: String, _ valid: Bool) { #expect(NetworkSyntax.isHostname(text) == valid) }

    @Test(
        arguments: [
            ("api.example.com", nil), ("*.example.com", nil), ("example.*", nil), ("example.com:8080", nil),
            ("*.*.com", "only one leading \"*.\" or trailing \".*\" wildcard is allowed"),
            ("ex*ample.com", "only one leading \"*.\" or trailing \".*\" wildcard is allowed"),
            ("bad_host name", "not a valid host name"), ("example.com:0", "invalid port in host"),
        ] as [(String, String?)]
    )
    func routeHosts(_ host: String, _ problem: String?) {
        #expect(NetworkSyntax.routeHostProblem(host) == problem)
    }

    @Test(
        arguments: [
            ("127.0.0.1:8000", HostPort(host: "127.0.0.1", port: 8000)),
            ("[::1]:8001", HostPort(host: "::1", port: 8001)),
            ("localhost:80", HostPort(host: "localhost", port: 80)),
            ("localhost", nil), ("host:0", nil), ("host:65536", nil), (":80", nil), ("a b:80", nil),
        ] as [(String, HostPort?)]
    )
    func hostPorts(_ text: String, _ expected: HostPort?) {
        #expect(HostPort.parse(text) == expected)
    }

    @Test func hostPortDefaultsAndDescription() {
        #expect(HostPort.parse("reports.internal", defaultPort: 8000) == HostPort(host: "reports.internal", port: 8000))
        #expect(HostPort(host: "::1", port: 80).description == "[::1]:80")
    }

    @Test(
        arguments: [("X-Request-Id", true), ("x_custom", true), ("bad header", false), ("a:b", false), ("", false)]
            as [(String, Bool)]
    )
    func headerNames(_ name: String, _ valid: Bool) { #expect(NetworkSyntax.isHeaderName(name) == valid) }

    @Test func serviceURLs() throws {
        let amqp = try ServiceURL.parse("amqp://guest:guest@127.0.0.1:5672/%2F").get()
        #expect(amqp == ServiceURL(protocol: .amqp, host: "127.0.0.1", port: 5672, path: "/%2F"))
        let plain = try ServiceURL.parse("https://api.example.com").get()
        #expect(plain.port == nil)
        #expect(plain.path == nil)
        let ipv6 = try ServiceURL.parse("http://[::1]:8080/x").get()
        #expect(ipv6.host == "::1")
    }
}
