import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Gateway

/// The request head sent upstream, header by header and in order: what a service behind the gateway
/// sees (DESIGN §5: Host, X-Forwarded-*, X-Real-IP, Via, X-Request-Id, no hop-by-hop headers).
@Suite struct UpstreamRequestBuilderTests {
    let endpoint = HTTPEndpoint(scheme: "http", host: "10.0.0.5", port: 8080)

    func context(_ headers: [(String, String)], uri: String = "/api/users?id=7", path: String = "/api/users") -> RequestContext {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: HTTPHeaders(headers))
        let context = RequestContext(
            eventLoop: EmbeddedEventLoop(),
            requestID: "req-1",
            head: head,
            path: path,
            query: uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init),
            peerAddress: nil,
            clientIP: "192.0.2.10",
            clientScheme: "http"
        )
        context.upstreamPath = "/users"
        context.strippedPrefix = "/api"
        return context
    }

    func route(preserveHost: Bool = false) -> ProxyRoute {
        ProxyRoute(id: "r", name: "r", service: nil, stripPath: true, preserveHost: preserveHost, chain: .empty)
    }

    func client(trusted: Bool = false) -> UpstreamRequestBuilder.ClientInfo {
        .init(peerIP: "192.0.2.10", clientIP: "192.0.2.10", peerIsTrusted: trusted, scheme: "http", listenPort: 8000)
    }

    func pairs(_ head: HTTPRequestHead) -> [String] {
        head.headers.map { "\($0.name): \($0.value)" }
    }

    @Test func ordinaryRequestGetsForwardingHeadersAfterItsOwn() {
        let head = UpstreamRequestBuilder.build(
            context: context([("Host", "api.example.com:8000"), ("Accept", "*/*"), ("User-Agent", "t/1")]),
            route: route(),
            endpoint: endpoint,
            client: client()
        )
        #expect(head.uri == "/users?id=7")
        #expect(head.method == .GET)
        #expect(
            pairs(head) == [
                "Accept: */*", "User-Agent: t/1", "host: 10.0.0.5:8080", "x-forwarded-for: 192.0.2.10",
                "x-real-ip: 192.0.2.10", "x-forwarded-proto: http", "x-forwarded-host: api.example.com",
                "x-forwarded-port: 8000", "x-forwarded-path: /api/users", "x-forwarded-prefix: /api",
                "via: 1.1 pasarela", "x-request-id: req-1",
            ])
    }

    @Test func hopByHopConnectionNamedAndClientForwardingHeadersGo() {
        let head = UpstreamRequestBuilder.build(
            context: context([
                ("Host", "api.example.com"), ("Connection", "keep-alive, X-Secret"), ("X-Secret", "s"),
                ("Keep-Alive", "timeout=5"), ("TE", "trailers"), ("Upgrade", "h2c"), ("Proxy-Authorization", "p"),
                ("Expect", "100-continue"), ("X-Forwarded-For", "203.0.113.1"), ("X-Forwarded-Proto", "https"),
                ("X-Forwarded-Host", "evil"), ("X-Forwarded-Port", "1"), ("X-Forwarded-Path", "/x"),
                ("X-Forwarded-Prefix", "/evil"), ("X-Real-IP", "203.0.113.9"), ("Via", "1.0 edge"),
                ("X-Request-Id", "client-id"), ("Accept", "a"),
            ]),
            route: route(),
            endpoint: endpoint,
            client: client()
        )
        #expect(
            pairs(head) == [
                "Accept: a", "host: 10.0.0.5:8080", "x-forwarded-for: 203.0.113.1, 192.0.2.10",
                "x-real-ip: 192.0.2.10", "x-forwarded-proto: http", "x-forwarded-host: api.example.com",
                "x-forwarded-port: 8000", "x-forwarded-path: /api/users", "x-forwarded-prefix: /api",
                "via: 1.0 edge, 1.1 pasarela", "x-request-id: req-1",
            ])
    }

    @Test func trustedPeerKeepsItsForwardingHeaders() {
        let head = UpstreamRequestBuilder.build(
            context: context([
                ("Host", "inner:81"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "shop.example"),
                ("X-Forwarded-Port", "443"), ("X-Forwarded-Path", "/shop/api/users"), ("X-Forwarded-Prefix", "/shop"),
            ]),
            route: route(),
            endpoint: endpoint,
            client: client(trusted: true)
        )
        #expect(
            pairs(head) == [
                "host: 10.0.0.5:8080", "x-forwarded-for: 192.0.2.10", "x-real-ip: 192.0.2.10",
                "x-forwarded-proto: https", "x-forwarded-host: shop.example", "x-forwarded-port: 443",
                "x-forwarded-path: /shop/api/users", "x-forwarded-prefix: /shop", "via: 1.1 pasarela",
                "x-request-id: req-1",
            ])
    }

    @Test func withoutStrippedPrefixAnUntrustedPrefixGoesAndATrustedOneStays() {
        let untrusted = context([("Host", "h"), ("X-Forwarded-Prefix", "/evil"), ("Accept", "a")])
        untrusted.strippedPrefix = nil
        let dropped = UpstreamRequestBuilder.build(context: untrusted, route: route(), endpoint: endpoint, client: client())
        #expect(!dropped.headers.contains(name: "x-forwarded-prefix"))

        let trusted = context([("Host", "h"), ("X-Forwarded-Prefix", "/shop"), ("Accept", "a")])
        trusted.strippedPrefix = nil
        let kept = UpstreamRequestBuilder.build(context: trusted, route: route(), endpoint: endpoint, client: client(trusted: true))
        #expect(Array(pairs(kept).prefix(2)) == ["X-Forwarded-Prefix: /shop", "Accept: a"])
    }

    @Test func hostFollowsPreserveHostAndPluginOverride() {
        let preserved = UpstreamRequestBuilder.build(
            context: context([("Host", "api.example.com:8000")]),
            route: route(preserveHost: true),
            endpoint: endpoint,
            client: client()
        )
        #expect(preserved.headers["host"] == ["api.example.com:8000"])

        let overridden = context([("Host", "api.example.com")])
        overridden.upstreamHost = "internal.example"
        let head = UpstreamRequestBuilder.build(context: overridden, route: route(preserveHost: true), endpoint: endpoint, client: client())
        #expect(head.headers["host"] == ["internal.example"])
    }

    @Test func chunkedBodyStaysChunkedUnlessAPluginReplacedIt() {
        let chunked = context([("Host", "h"), ("Transfer-Encoding", "chunked")])
        let head = UpstreamRequestBuilder.build(context: chunked, route: route(), endpoint: endpoint, client: client())
        #expect(head.headers["transfer-encoding"] == ["chunked"])
        #expect(pairs(head).first == "transfer-encoding: chunked")
    }

    @Test func pluginHeaderChangesAreForwarded() {
        let changed = context([("Host", "h"), ("Accept", "a"), ("X-Consumer-Id", "forged")])
        changed.requestHeaders.replaceOrAdd(name: "X-Consumer-Id", value: "c-1")
        changed.requestHeaders.add(name: "X-Added", value: "1")
        let head = UpstreamRequestBuilder.build(context: changed, route: route(), endpoint: endpoint, client: client())
        #expect(head.headers["x-consumer-id"] == ["c-1"])
        #expect(Array(pairs(head).prefix(3)) == ["Accept: a", "X-Consumer-Id: c-1", "X-Added: 1"])
    }

    @Test func aConnectionHeaderAlsoRemovesTheHeadersBeforeIt() {
        let head = UpstreamRequestBuilder.build(
            context: context([
                ("Host", "h"), ("X-Secret", "s"), ("Via", "1.0 edge"), ("Accept", "a"), ("X-Forwarded-Prefix", "/p"),
                ("Connection", "X-Secret, via, x-forwarded-prefix"),
            ]),
            route: route(),
            endpoint: endpoint,
            client: client()
        )
        #expect(!head.headers.contains(name: "x-secret"))
        #expect(head.headers["via"] == ["1.1 pasarela"])
        #expect(head.headers["x-forwarded-prefix"] == ["/api"])
        #expect(head.headers["accept"] == ["a"])

        // Without a stripped prefix, a trusted client's own prefix stays in place unless Connection names it.
        let trusted = context([("Host", "h"), ("X-Forwarded-Prefix", "/p"), ("Connection", "x-forwarded-prefix")])
        trusted.strippedPrefix = nil
        let named = UpstreamRequestBuilder.build(context: trusted, route: route(), endpoint: endpoint, client: client(trusted: true))
        #expect(!named.headers.contains(name: "x-forwarded-prefix"))
    }
}

