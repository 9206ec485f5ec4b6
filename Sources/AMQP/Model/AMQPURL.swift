/// A broker address in RabbitMQ's URI form: `amqp://user:pass@host:port/vhost?heartbeat=30`.
///
/// The vhost is the percent-decoded path (`%2F` is `/`; an empty path is the default vhost `/`).
/// `amqps` selects TLS and the default port 5671 (5672 for `amqp`). Missing credentials default to
/// `guest`/`guest`, a missing host to `localhost`.
///
/// Query parameters understood (RabbitMQ's names): `heartbeat` (seconds, `0` disables),
/// `connection_timeout` (milliseconds), and for TLS `cacertfile`, `certfile`, `keyfile`,
/// `verify` (`verify_peer` or `verify_none`) and `auth_mechanism` (`plain` or `external`).
/// Unknown parameters are ignored, as other clients do.
public struct AMQPURL: Sendable, Hashable {
    /// Whether the connection uses TLS (`amqps`).
    public var usesTLS: Bool
    /// Host name or IP address (an IPv6 literal without its brackets).
    public var host: String
    /// TCP port.
    public var port: Int
    /// User name for PLAIN authentication.
    public var user: String
    /// Password for PLAIN authentication.
    public var password: String
    /// Virtual host, decoded (`/` for the default one).
    public var vhost: String
    /// Heartbeat interval asked for by the URL, if any (`.zero` disables heartbeats).
    public var heartbeat: Duration?
    /// TCP connect (and handshake) timeout asked for by the URL, if any.
    public var connectionTimeout: Duration?
    /// TLS settings; used only when `usesTLS`.
    public var tls: TLSOptions

    /// Builds an address from its parts.
    public init(
        host: String = "localhost", port: Int? = nil, user: String = "guest", password: String = "guest",
        vhost: String = "/", usesTLS: Bool = false, heartbeat: Duration? = nil,
        connectionTimeout: Duration? = nil, tls: TLSOptions = TLSOptions()
    ) {
        self.usesTLS = usesTLS
        self.host = host
        self.port = port ?? (usesTLS ? 5671 : 5672)
        self.user = user
        self.password = password
        self.vhost = vhost
        self.heartbeat = heartbeat
        self.connectionTimeout = connectionTimeout
        self.tls = tls
    }

    /// Parses `amqp://` and `amqps://` URLs; throws ``AMQPError/invalidURL(_:)`` saying what is wrong.
    public init(_ string: String) throws(AMQPError) {
        self = try AMQPURLParser.parse(string)
    }
}

/// TLS settings for `amqps` connections (rabbitmq-c's OpenSSL socket).
public struct TLSOptions: Sendable, Hashable {
    /// PEM file of trusted CA certificates; `nil` uses the system bundle when there is one.
    public var caCertificatePath: String?
    /// PEM client certificate, for mutual TLS.
    public var certificatePath: String?
    /// PEM private key of the client certificate.
    public var keyPath: String?
    /// Verify the broker's certificate chain and host name (on by default).
    public var verifyPeer: Bool
    /// Authenticate with the client certificate (SASL EXTERNAL) instead of user and password.
    public var useExternalAuth: Bool

    /// Creates TLS settings; the defaults verify the broker against the system CA bundle.
    public init(
        caCertificatePath: String? = nil, certificatePath: String? = nil, keyPath: String? = nil,
        verifyPeer: Bool = true, useExternalAuth: Bool = false
    ) {
        self.caCertificatePath = caCertificatePath
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.verifyPeer = verifyPeer
        self.useExternalAuth = useExternalAuth
    }
}

extension AMQPURL: CustomStringConvertible {
    /// The URL with the password replaced by `***`, safe for logs.
    public var description: String {
        let scheme = usesTLS ? "amqps" : "amqp"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let encodedVhost = vhost == "/" ? "%2F" : PercentCoding.encode(vhost)
        return "\(scheme)://\(PercentCoding.encode(user)):***@\(hostPart):\(port)/\(encodedVhost)"
    }
}
