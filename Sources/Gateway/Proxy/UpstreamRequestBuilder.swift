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
        let source = context.requestHeaders
        let trusted = client.peerIsTrusted
        let prefix = context.strippedPrefix

        // One pass over the request's headers keeps what goes upstream unchanged, in order; the
        // gateway's own headers follow. (Removing and re-adding each of them in place costs a scan of
        // all headers per name, on every request.)
        var via: [String] = []
        let endToEnd = HopByHop.endToEnd(source, capacity: source.count + 11) { name, value in
            switch GatewaySetHeader(name) {
            case .replaced:
                return false
            case .via:
                via.append(value)
                return false
            case .forwardedPrefix:
                // Replaced when a prefix was stripped; an untrusted client's own goes; a trusted one's stays.
                return prefix == nil && trusted
            case nil:
                return true
            }
        }
        var headers = endToEnd.headers
        if endToEnd.connectionNamed.contains("via") { via = [] }
        if original.headers.hasChunkedTransferEncoding, !context.requestBodyReplaced {
            headers.add(name: "transfer-encoding", value: "chunked")
        }

        let originalHost = original.headers.first(name: "host") ?? endpoint.hostHeader
        if let host = context.upstreamHost {
            headers.add(name: "host", value: host)
        } else if route.preserveHost {
            headers.add(name: "host", value: originalHost)
        } else {
            headers.add(name: "host", value: endpoint.hostHeader)
        }

        let incomingXFF = original.headers["x-forwarded-for"]
        if incomingXFF.isEmpty {
            headers.add(name: "x-forwarded-for", value: client.peerIP)
        } else {
            headers.add(name: "x-forwarded-for", value: incomingXFF.joined(separator: ", ") + ", " + client.peerIP)
        }
        headers.add(name: "x-real-ip", value: client.clientIP)
        func forwarded(_ name: String, _ value: @autoclosure () -> String) {
            headers.add(name: name, value: (trusted ? original.headers.first(name: name) : nil) ?? value())
        }
        forwarded("x-forwarded-proto", client.scheme)
        forwarded("x-forwarded-host", hostWithoutPort(originalHost))
        forwarded("x-forwarded-port", String(client.listenPort))
        forwarded("x-forwarded-path", context.path)
        if let prefix { forwarded("x-forwarded-prefix", prefix) }
        headers.add(name: "via", value: via.isEmpty ? viaToken : via.joined(separator: ", ") + ", " + viaToken)
        headers.add(name: "x-request-id", value: context.requestID)

        var uri = context.upstreamPath
        if let query = context.query { uri += "?" + query }
        return HTTPRequestHead(version: .http1_1, method: context.upstreamMethod, uri: uri, headers: headers)
    }

    /// The `Via` token the gateway adds, both ways.
    static let viaToken = "1.1 pasarela"

    static func hostWithoutPort(_ host: String) -> String {
        // Searched as bytes (ASCII delimiters; a UTF-8 index of one is a valid String index).
        let utf8 = host.utf8
        if utf8.first == UInt8(ascii: "[") {
            if let close = utf8.firstIndex(of: UInt8(ascii: "]")) { return String(host[...close]) }
            return host
        }
        if let colon = utf8.lastIndex(of: UInt8(ascii: ":")) { return String(host[..<colon]) }
        return host
    }
}

/// The request headers the gateway sets itself: the client's (or a plugin's) own never reach the
/// upstream, whatever their case.
enum GatewaySetHeader {
    /// Replaced by the gateway's value: `Expect` (answered here), `Host`, `X-Real-IP`, `X-Request-Id`
    /// and the `X-Forwarded-*` headers other than the prefix.
    case replaced
    /// `Via`: the gateway appends itself to the chain.
    case via
    /// `X-Forwarded-Prefix`: replaced only when the route stripped a prefix.
    case forwardedPrefix

    init?(_ name: String) {
        self.init(length: name.utf8.count) { HopByHop.equalsLowercase(name, $0) }
    }

    /// The classification of a name of `length` bytes, asking `named` whether it is a given one
    /// (lower-case ASCII, compared ignoring case): one list for names as Strings and as bytes.
    init?(length: Int, named: (StaticString) -> Bool) {
        switch length {
        case 3 where named("via"): self = .via
        case 4 where named("host"): self = .replaced
        case 6 where named("expect"): self = .replaced
        case 9 where named("x-real-ip"): self = .replaced
        case 12 where named("x-request-id"): self = .replaced
        case 15 where named("x-forwarded-for"): self = .replaced
        case 16 where named("x-forwarded-host") || named("x-forwarded-port") || named("x-forwarded-path"): self = .replaced
        case 17 where named("x-forwarded-proto"): self = .replaced
        case 18 where named("x-forwarded-prefix"): self = .forwardedPrefix
        default: return nil
        }
    }
}
