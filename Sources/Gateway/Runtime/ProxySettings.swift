import NIOCore

/// The process settings of the `pasarela:` block that the proxy path reads.
public struct ProxySettings: Sendable {
    /// Where the proxy listens.
    public var proxyListen: ListenAddress
    /// Where the admin API listens.
    public var adminListen: ListenAddress?
    /// Bearer token for the admin API; empty means loopback clients only.
    public var adminToken: String
    /// How long in-flight requests may take to finish on shutdown.
    public var drainTimeout: TimeAmount
    /// Peers whose `X-Forwarded-*`/`X-Real-IP` headers are believed.
    public var trustedIPs: IPMatcher
    /// Longest time to receive a whole request head.
    public var clientHeaderTimeout: TimeAmount
    /// Longest wait between two reads of a request body.
    public var clientBodyTimeout: TimeAmount
    /// Longest idle time of a keep-alive client connection.
    public var keepaliveTimeout: TimeAmount
    /// Largest request head, request line excluded (431 beyond).
    public var maxHeaderSize: Int
    /// Longest request line (414 beyond).
    public var maxRequestLine: Int
    /// Largest request body (413 beyond); 0 means no limit.
    public var clientMaxBodySize: Int

    /// Defaults as documented in DESIGN §4.1.
    public init(
        proxyListen: ListenAddress = ListenAddress(host: "0.0.0.0", port: 8000),
        adminListen: ListenAddress? = ListenAddress(host: "127.0.0.1", port: 8001),
        adminToken: String = "",
        drainTimeout: TimeAmount = .seconds(10),
        trustedIPs: IPMatcher = IPMatcher(),
        clientHeaderTimeout: TimeAmount = .seconds(10),
        clientBodyTimeout: TimeAmount = .seconds(60),
        keepaliveTimeout: TimeAmount = .seconds(60),
        maxHeaderSize: Int = 32 * 1024,
        maxRequestLine: Int = 8 * 1024,
        clientMaxBodySize: Int = 0
    ) {
        self.proxyListen = proxyListen
        self.adminListen = adminListen
        self.adminToken = adminToken
        self.drainTimeout = drainTimeout
        self.trustedIPs = trustedIPs
        self.clientHeaderTimeout = clientHeaderTimeout
        self.clientBodyTimeout = clientBodyTimeout
        self.keepaliveTimeout = keepaliveTimeout
        self.maxHeaderSize = maxHeaderSize
        self.maxRequestLine = maxRequestLine
        self.clientMaxBodySize = clientMaxBodySize
    }
}

/// A `HOST:PORT` to listen on.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// Host or address.
    public var host: String
    /// TCP port (0: any free port).
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses a listening `HOST:PORT` (port 0: any free port).
    public init?(parsing text: String) {
        guard let parsed = HostPort.parse(text, listening: true) else { return nil }
        self.init(host: parsed.host, port: parsed.port)
    }

    public var description: String { host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
