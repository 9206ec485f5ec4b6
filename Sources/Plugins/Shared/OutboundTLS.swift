import Gateway
import NIOCore
import NIOSSL

/// TLS for the connections plugins make themselves (JWKS over `https`, Redis with `ssl: true`):
/// one context per endpoint, built once at configuration load, trusting what
/// `lua_ssl_trusted_certificate` names.
struct OutboundTLS: Sendable {
    /// Why a TLS client could not be set up (a certificate file that does not parse, ...).
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    let context: NIOSSLContext
    /// Sent as SNI and checked against the certificate; nil for an IP address, which is then checked
    /// against the certificate's IP entries instead.
    let serverName: String?

    /// A client for `host` (or `serverName` when given) that verifies the server's certificate
    /// against `trusted` when `verify` is true, and accepts any certificate otherwise (Kong's
    /// `ssl_verify: false`).
    init(host: String, serverName: String? = nil, verify: Bool, trusted: TrustedCertificates) throws(SetupError) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verify ? .fullVerification : .none
        do {
            if trusted.includesSystem {
                configuration.trustRoots = .default
                configuration.additionalTrustRoots = trusted.files.map { .file($0) }
            } else {
                configuration.trustRoots = .certificates(try trusted.files.flatMap { try NIOSSLCertificate.fromPEMFile($0) })
            }
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw SetupError(description: "TLS setup failed (lua_ssl_trusted_certificate \(trusted.entries)): \(error)")
        }
        let name = serverName ?? host
        self.serverName = Self.isIPAddress(name) ? nil : name
    }

    /// Adds the TLS handler in front of `channel`'s pipeline; call from its channel initializer.
    func addHandler(to channel: any Channel) throws {
        let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName)
        try channel.pipeline.syncOperations.addHandler(handler)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
