import AMQP
import Logging
import Synchronization

/// The gateway's publishing connections to RabbitMQ, one per broker URL, opened on first use and
/// kept across configuration reloads (a reload that keeps the URL keeps the connection).
public final class AMQPConnections: Sendable {
    private let connections = Mutex<[String: AMQPConnection]>([:])
    private let logger: Logger

    /// An empty registry; nothing connects until a job is dispatched.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The connection for a broker URL, created (and connecting in the background) on first use.
    func connection(for url: AMQPURL, key: String) -> AMQPConnection {
        connections.withLock { connections in
            if let existing = connections[key] { return existing }
            let connection = AMQPConnection(
                configuration: AMQPConfiguration(url: url, connectionName: "pasarela gateway"),
                logger: logger
            )
            connections[key] = connection
            return connection
        }
    }

    /// Opens the connections of a configuration ahead of the first request.
    func warmUp(_ url: AMQPURL, key: String) {
        _ = connection(for: url, key: key)
    }

    /// Closes every connection (shutdown).
    public func closeAll() async {
        let all = connections.withLock { connections in
            defer { connections.removeAll() }
            return Array(connections.values)
        }
        for connection in all { await connection.close() }
    }

    /// The dispatcher factory for ``GatewayLoader``: `amqp`/`amqps` services become ``AMQPDispatcher``s.
    /// `connect` false validates only (the CLI's `validate`), never opening a connection.
    public func dispatcherFactory(connect: Bool, maxBodySize: Int = 8 << 20) -> GatewayLoader.DispatcherFactory {
        { [self] service, diagnostics in
            let text = service.url ?? "\(service.protocol.rawValue)://\(service.host):\(service.port)\(service.path ?? "/")"
            let url: AMQPURL
            do {
                url = try AMQPURL(text)
            } catch {
                let path = service.location.appending(service.url == nil ? "host" : "url")
                diagnostics.error("\(error)", at: diagnostics.document?.mark(at: path) ?? .start, path: path)
                return nil
            }
            guard let settings = service.amqp else {
                let path = service.location.appending("amqp")
                diagnostics.error(
                    "an amqp service needs an \"amqp:\" block with at least \"exchange\"",
                    at: diagnostics.document?.mark(at: service.location) ?? .start,
                    path: path
                )
                return nil
            }
            let key = url.description
            if connect { warmUp(url, key: key) }
            return AMQPDispatcher(
                service: service.name ?? key,
                settings: settings,
                maxBodySize: maxBodySize,
                logger: logger,
                connection: { [self] in self.connection(for: url, key: key) }
            )
        }
    }
}
