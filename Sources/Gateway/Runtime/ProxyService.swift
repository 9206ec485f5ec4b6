import NIOCore

/// A service ready for the proxy: where requests go and how long the gateway waits for it.
///
/// A class, immutable: every request to the service shares it.
public final class ProxyService: Sendable {
    /// A stable id (configured, or derived from the name).
    public let id: String
    /// Kong's `name`.
    public let name: String?
    /// Where the service's requests go.
    public let destination: Destination
    /// The service's `path`, prepended to the upstream path (nil: none).
    public let path: String?
    /// Kong's `connect_timeout`.
    public let connectTimeout: TimeAmount
    /// Kong's `read_timeout`: longest wait between two reads from the upstream.
    public let readTimeout: TimeAmount
    /// Kong's `write_timeout`: longest wait for the upstream to accept more bytes.
    public let writeTimeout: TimeAmount
    /// Kong's `retries`: further connection attempts when one could not be established.
    public let retries: Int

    /// Where a service sends its requests.
    public enum Destination: Sendable {
        /// A single HTTP host.
        case http(HTTPEndpoint)
        /// An upstream (load-balanced targets) named by the service's host.
        case upstream(LoadBalancer, scheme: String)
        /// A non-HTTP destination handled by a dispatcher (e.g. an AMQP queue): the dispatcher's name.
        case dispatcher(any RequestDispatcher)
    }

    /// Creates a service.
    public init(
        id: String,
        name: String?,
        destination: Destination,
        path: String?,
        connectTimeout: TimeAmount,
        readTimeout: TimeAmount,
        writeTimeout: TimeAmount,
        retries: Int
    ) {
        self.id = id
        self.name = name
        self.destination = destination
        self.path = path
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.retries = retries
    }
}

/// One HTTP host and port.
///
/// A class, immutable: requests share the endpoint of their service (the key of their pool lookup),
/// so passing it along copies one reference.
public final class HTTPEndpoint: Sendable, Hashable {
    /// `http` or `https`.
    public let scheme: String
    /// Host name or address.
    public let host: String
    /// TCP port.
    public let port: Int
    /// The `Host` header value for this endpoint (the port only when it is not the scheme's default).
    public let hostHeader: String
    /// `host:port`, for logs and reports.
    public let description: String
    /// The hash of scheme, host and port, worked out once: each request looks its pool up by endpoint.
    private let identityHash: Int

    /// Creates an endpoint; the header and description are computed once, not per request.
    public init(scheme: String, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
        let bracketed = host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host
        let defaultPort = scheme == "https" ? 443 : 80
        self.hostHeader = port == defaultPort ? bracketed : "\(bracketed):\(port)"
        self.description = "\(bracketed):\(port)"
        var hasher = Hasher()
        hasher.combine(host)
        hasher.combine(port)
        hasher.combine(scheme)
        self.identityHash = hasher.finalize()
    }

    public static func == (lhs: HTTPEndpoint, rhs: HTTPEndpoint) -> Bool {
        lhs === rhs || lhs.port == rhs.port && lhs.host == rhs.host && lhs.scheme == rhs.scheme
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(identityHash)
    }
}
