/// A protocol a service speaks or a route or plugin applies to: Kong's names plus Pasarela's
/// `amqp`/`amqps` for services whose requests become jobs on RabbitMQ.
public enum GatewayProtocol: String, ConfigEnum {
    case http, https, grpc, grpcs, tcp, tls, udp, ws, wss
    case tlsPassthrough = "tls_passthrough"
    case amqp, amqps

    /// The port used when a service names none.
    public var defaultPort: Int {
        switch self {
        case .http, .grpc, .ws: return 80
        case .https, .grpcs, .wss, .tls, .tlsPassthrough: return 443
        case .amqp: return 5672
        case .amqps: return 5671
        case .tcp, .udp: return 80
        }
    }

    /// Whether this is `amqp` or `amqps`.
    public var isAMQP: Bool { self == .amqp || self == .amqps }

    /// Protocols whose routes match on HTTP fields (methods, hosts, headers, paths).
    public var isHTTPFamily: Bool { [.http, .https, .grpc, .grpcs, .ws, .wss].contains(self) }
}
