import Foundation

/// A service's `url` taken apart: protocol, host, port and path.
public struct ServiceURL: Sendable, Hashable {
    /// The scheme as a protocol.
    public var `protocol`: GatewayProtocol
    /// The host, without brackets for IPv6.
    public var host: String
    /// The port, when the url names one.
    public var port: Int?
    /// The path (percent-encoded as written), when not empty.
    public var path: String?

    /// Creates a parsed url from its parts.
    public init(protocol: GatewayProtocol, host: String, port: Int?, path: String?) {
        self.protocol = `protocol`
        self.host = host
        self.port = port
        self.path = path
    }

    /// Why a url cannot be used.
    public struct Problem: Error, Sendable, Hashable {
        /// One line for the user.
        public var message: String
    }

    /// Parses `text` as a service url: a known scheme, a host, an optional port from 1 to 65535.
    public static func parse(_ text: String) -> Result<ServiceURL, Problem> {
        let shown = ConfigScalar(text).quotedForMessage
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return .failure(Problem(message: "invalid url \(shown); expected e.g. http://host:port/path"))
        }
        guard let kind = GatewayProtocol(rawValue: scheme), kind != .tlsPassthrough else {
            return .failure(
                Problem(
                    message: "unsupported url scheme \"\(scheme)\"; expected one of http, https, grpc, grpcs, "
                        + "tcp, tls, udp, ws, wss, amqp, amqps"
                )
            )
        }
        let host = components.host.map { $0.hasPrefix("[") ? String($0.dropFirst().dropLast()) : $0 } ?? ""
        guard !host.isEmpty else { return .failure(Problem(message: "url \(shown) has no host")) }
        if let port = components.port, !(1...65535).contains(port) {
            return .failure(Problem(message: "port in url \(shown) must be between 1 and 65535"))
        }
        let path = components.percentEncodedPath
        return .success(ServiceURL(protocol: kind, host: host, port: components.port, path: path.isEmpty ? nil : path))
    }
}
