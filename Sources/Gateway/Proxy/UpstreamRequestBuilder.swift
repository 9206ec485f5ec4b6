import NIOHTTP1

/// Builds the request head sent upstream from the client's request: `Host`,
/// hop-by-hop removal and the forwarding headers (`X-Forwarded-*`, `X-Real-IP`, `Via`, `X-Request-Id`).
/// Pure: tested without sockets.
enum UpstreamRequestBuilder {
    /// What the builder needs to know about the client side.
    struct ClientInfo {
        var peerIP: String
        var clientIP: String
        var peerIsTrusted: Bool
        var scheme: String
        var listenPort: Int
    }

    static func build(
        context: RequestContext,
        route: ProxyRoute,
        endpoint: HTTPEndpoint,
        client: ClientInfo
    ) -> HTTPRequestHead {
        let original = context.originalHead
        var headers = context.requestHeaders
        let wasChunked = original.headers.hasChunkedTransferEncoding
        HopByHop.strip(&headers)
        headers.remove(name: "expect")
        if wasChunked, !context.requestBodyReplaced { headers.add(name: "transfer-encoding", value: "chunked") }

        let originalHost = original.headers.first(name: "host") ?? endpoint.hostHeader
        if let host = context.upstreamHost {
            headers.replaceOrAdd(name: "host", value: host)
        } else if route.preserveHost {
            headers.replaceOrAdd(name: "host", value: originalHost)
        } else {
            headers.replaceOrAdd(name: "host", value: endpoint.hostHeader)
        }

        let incomingXFF = original.headers["x-forwarded-for"]
        if incomingXFF.isEmpty {
            headers.replaceOrAdd(name: "x-forwarded-for", value: client.peerIP)
        } else {
            headers.replaceOrAdd(name: "x-forwarded-for", value: incomingXFF.joined(separator: ", ") + ", " + client.peerIP)
        }
        headers.replaceOrAdd(name: "x-real-ip", value: client.clientIP)
        let trusted = client.peerIsTrusted
        setForwarded(
            &headers,
            "x-forwarded-proto",
            trusted ? original.headers.first(name: "x-forwarded-proto") : nil,
            client.scheme
        )
        let hostOnly = hostWithoutPort(originalHost)
        setForwarded(&headers, "x-forwarded-host", trusted ? original.headers.first(name: "x-forwarded-host") : nil, hostOnly)
        setForwarded(
            &headers,
            "x-forwarded-port",
            trusted ? original.headers.first(name: "x-forwarded-port") : nil,
            String(client.listenPort)
        )
        setForwarded(&headers, "x-forwarded-path", trusted ? original.headers.first(name: "x-forwarded-path") : nil, context.path)
        if let prefix = context.strippedPrefix {
            setForwarded(
                &headers,
                "x-forwarded-prefix",
                trusted ? original.headers.first(name: "x-forwarded-prefix") : nil,
                prefix
            )
        } else if !trusted {
            headers.remove(name: "x-forwarded-prefix")
        }
        let via = headers["via"]
        headers.replaceOrAdd(name: "via", value: via.isEmpty ? viaToken : via.joined(separator: ", ") + ", " + viaToken)
        headers.replaceOrAdd(name: "x-request-id", value: context.requestID)

        var uri = context.upstreamPath
        if let query = context.query { uri += "?" + query }
        return HTTPRequestHead(version: .http1_1, method: context.upstreamMethod, uri: uri, headers: headers)
    }

    /// The `Via` token the gateway adds, both ways.
    static let viaToken = "1.1 pasarela"

    private static func setForwarded(_ headers: inout HTTPHeaders, _ name: String, _ incoming: String?, _ value: String) {
        headers.replaceOrAdd(name: name, value: incoming ?? value)
    }

    static func hostWithoutPort(_ host: String) -> String {
        if host.hasPrefix("[") {
            if let close = host.firstIndex(of: "]") { return String(host[...close]) }
            return host
        }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }
}
