import Foundation
import Gateway
import NIOCore

/// Kong's `http-log`: sends each finished request, as Kong's log serializer writes it, to an HTTP
/// endpoint, in batches through a queue (see ``HTTPLogQueue``). An `https` endpoint's certificate
/// is verified against `lua_ssl_trusted_certificate`.
public struct HTTPLogPlugin: ConfigurablePlugin {
    public static let name = "http-log"
    public static let priority = 12

    private let queue: HTTPLogQueue

    public init(configuration: HTTPLogConfig, context: PluginBuildContext) throws {
        guard let uri = configuration.httpEndpoint, let endpoint = try? OutboundEndpoint(uri) else {
            throw InvalidConfigValue("missing host in url, or not an http(s) URL")
        }
        var tls: OutboundTLS?
        let trusted = context.config.settings.luaSSLTrustedCertificate
        if endpoint.isHTTPS {
            do {
                tls = try OutboundTLS(host: endpoint.host, verify: true, trusted: trusted)
            } catch {
                throw InvalidConfigValue("http_endpoint \"\(uri)\": \(error)")
            }
        }
        let logger = context.logger
        // One queue per configuration, kept across reloads that do not change it.
        queue = context.shared.object("http-log:\(configuration.hashValue):\(uri):\(trusted.entries)") {
            HTTPLogQueue(endpoint: endpoint, config: configuration, tls: tls, logger: logger)
        }
    }

    public func log(_ context: RequestContext) {
        var entry = ByteBuffer()
        KongLogSerializer.serialize(context).write(into: &entry)
        queue.add(entry)
    }
}
