/// How an ``AMQPConnection`` connects and behaves.
public struct AMQPConfiguration: Sendable {
    /// Broker address, credentials, vhost and TLS settings.
    public var url: AMQPURL
    /// Shown by the broker (`rabbitmqctl list_connections name`); `nil` sends none.
    public var connectionName: String?
    /// Heartbeat interval proposed to the broker; the URL's `heartbeat` wins; `.zero` disables.
    /// The connection thread services heartbeats while idle.
    public var heartbeat: Duration
    /// Bound on TCP connect and the AMQP handshake; the URL's `connection_timeout` wins.
    public var connectTimeout: Duration
    /// Bound on each synchronous broker call (declare, consume, channel open, close).
    public var rpcTimeout: Duration
    /// Default time a publish waits for its confirm before settling as ``PublishOutcome/timedOut``.
    public var confirmTimeout: Duration
    /// Delays between reconnect attempts.
    public var reconnectBackoff: Backoff
    /// Declared on every (re)connect, before consumers start. Failures are logged, not fatal.
    public var topology: Topology

    /// Creates a configuration with defaults suited to a gateway: 30 s heartbeats, 5 s connect and
    /// confirm timeouts, reconnects from 0.1 s backing off to 10 s.
    public init(
        url: AMQPURL, connectionName: String? = "pasarela", heartbeat: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(5), rpcTimeout: Duration = .seconds(10),
        confirmTimeout: Duration = .seconds(5), reconnectBackoff: Backoff = Backoff(), topology: Topology = Topology()
    ) {
        self.url = url
        self.connectionName = connectionName
        self.heartbeat = heartbeat
        self.connectTimeout = connectTimeout
        self.rpcTimeout = rpcTimeout
        self.confirmTimeout = confirmTimeout
        self.reconnectBackoff = reconnectBackoff
        self.topology = topology
    }

    /// The options the thread opens a connection with.
    var connectionOptions: RabbitConnection.Options {
        RabbitConnection.Options(
            url: url, heartbeat: url.heartbeat ?? heartbeat, connectTimeout: url.connectionTimeout ?? connectTimeout,
            rpcTimeout: rpcTimeout, connectionName: connectionName, writeStallLimit: max(confirmTimeout, .seconds(1)))
    }
}
