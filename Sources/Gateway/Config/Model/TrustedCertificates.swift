import Foundation

/// kong.conf's `lua_ssl_trusted_certificate`: the certificate authorities that the gateway's own TLS
/// clients (JWKS over `https`, Redis with `ssl: true`) trust. Each entry is `system` (the operating
/// system's store) or the path of a PEM file; written as a list or, as in kong.conf, as one
/// comma-separated string. Default: `system`.
public struct TrustedCertificates: Sendable, Hashable, Decodable {
    /// The entries in the order written.
    public var entries: [String]

    /// Trust `entries` (`system` and/or PEM file paths).
    public init(_ entries: [String] = ["system"]) {
        self.entries = entries
    }

    /// Whether the system's certificate store is trusted.
    public var includesSystem: Bool { entries.contains(Self.system) }

    /// The PEM files named, in order.
    public var files: [String] { entries.filter { $0 != Self.system } }

    /// The entry that stands for the system's certificate store.
    public static let system = "system"

    public init(from decoder: any Decoder) throws {
        if case .sequence = decoder.configNode?.value {
            var list = try decoder.unkeyedContainer()
            var entries: [String] = []
            while !list.isAtEnd { entries.append(try list.decode(String.self)) }
            self.entries = entries
        } else {
            let text = try decoder.singleValueContainer().decode(String.self)
            entries = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        entries.removeAll { $0.isEmpty }
        if entries.isEmpty {
            throw InvalidConfigValue("expected \"system\" or PEM file paths, found nothing")
        }
    }
}
