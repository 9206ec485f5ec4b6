import Foundation
import NIOSSL

/// A test CA and a server certificate it signed (for `localhost` and `127.0.0.1`, valid for a
/// century), for TLS servers in tests. The CA's key was thrown away once the certificate was made.
/// Made with: `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 ... -subj
/// "/CN=Pasarela Test CA"`, then a server key and CSR signed with `subjectAltName=DNS:localhost,
/// IP:127.0.0.1` and `extendedKeyUsage=serverAuth`.
enum TLSFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tls")

    /// The CA certificate (PEM) to trust.
    static var caFile: String { directory.appendingPathComponent("ca.pem").path }
    /// The server's certificate (PEM).
    static var certificateFile: String { directory.appendingPathComponent("server.pem").path }
    /// The server's private key (PEM).
    static var keyFile: String { directory.appendingPathComponent("server.key").path }

    /// A server-side TLS context with the server certificate.
    static func serverContext() throws -> NIOSSLContext {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
        )
        return try NIOSSLContext(configuration: configuration)
    }
}
