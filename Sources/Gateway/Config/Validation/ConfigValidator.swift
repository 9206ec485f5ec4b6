import Foundation

/// Checks a flattened ``GatewayConfig`` against the rules Kong's schemas (and Pasarela's
/// additions) impose, recording every problem with the line and column of the offending node.
///
/// The checks for each entity live in `ConfigValidator+<Entity>.swift`.
struct ConfigValidator {
    let config: GatewayConfig
    let knownPluginNames: Set<String>
    var diagnostics: Diagnostics

    var document: ConfigDocument { config.document }

    mutating func validate() {
        validateFormat()
        validateSettings(config.settings)
        validateServices()
        validateRoutes()
        validateUpstreams()
        validateConsumers()
        validatePlugins()
    }

    // MARK: Reporting

    /// An error at the node `path` leads to (its parent's when it is missing).
    mutating func error(_ message: String, at path: ConfigPath) {
        diagnostics.error(message, at: document.mark(at: path), path: path)
    }

    /// An error at the key that ends `path` (for problems with a key rather than its value).
    mutating func error(_ message: String, atKey path: ConfigPath) {
        diagnostics.error(message, at: document.keyMark(at: path), path: path)
    }

    /// A warning at the node `path` leads to.
    mutating func warning(_ message: String, at path: ConfigPath) {
        diagnostics.warning(message, at: document.mark(at: path), path: path)
    }

    /// `missing required field "field"` at the mapping `path`.
    mutating func missing(_ field: String, in path: ConfigPath) {
        error("missing required field \"\(field)\"", at: path)
    }

    /// An error unless `value` is within `range`.
    mutating func check(_ value: Int, in range: ClosedRange<Int>, at path: ConfigPath) {
        guard !range.contains(value) else { return }
        error("must be between \(range.lowerBound) and \(range.upperBound), found \(value)", at: path)
    }

    /// Whether the mapping at `path` has a non-empty value for any of `fields` as written (so a
    /// field whose value was already reported as invalid still counts).
    func hasAny(of fields: [String], at path: ConfigPath) -> Bool {
        guard let mapping = document.node(at: path) else { return false }
        return fields.contains { field in
            guard let value = mapping[field] else { return false }
            switch value.value {
            case .null: return false
            case .sequence(let items): return !items.isEmpty
            case .mapping(let entries): return !entries.isEmpty
            case .scalar: return true
            }
        }
    }

    /// An error for each value used a second time; `secret` values are not printed.
    mutating func requireUnique(_ values: [(value: String, path: ConfigPath)], what: String, secret: Bool = false) {
        var first: [String: ConfigPath] = [:]
        for (value, path) in values {
            if let earlier = first[value] {
                let shown = secret ? "" : " " + ConfigScalar(value).quotedForMessage
                error("duplicate \(what)\(shown) (also used at \(earlier))", at: path)
            } else {
                first[value] = path
            }
        }
    }

    // MARK: Top level

    private mutating func validateFormat() {
        if let node = document.root["_format_version"], !node.isNull {
            if let version = node.scalar?.text, !["1.1", "2.1", "3.0"].contains(version) {
                error(
                    "unsupported format version \(node.summary); expected \"1.1\", \"2.1\" or \"3.0\"",
                    at: ["_format_version"]
                )
            }
        } else {
            missing("_format_version", in: .root)
        }
        for entry in document.root.entries ?? [] where DeclarativeConfig.kongEntitiesNotSupported.contains(entry.key) {
            diagnostics.error(
                "Kong entity \"\(entry.key)\" is not supported by Pasarela",
                at: entry.keyMark,
                path: ConfigPath.root.appending(entry.key)
            )
        }
    }

    private mutating func validateSettings(_ settings: PasarelaSettings) {
        let path = settings.location
        let listeners = [("proxy_listen", settings.proxyListen), ("admin_listen", settings.adminListen)]
        for (field, value) in listeners
        where HostPort.parse(value, listening: true) == nil && !(field == "admin_listen" && value == "off") {
            error(
                "expected HOST:PORT with a port from 0 (any free port) to 65535, found \(ConfigScalar(value).quotedForMessage)",
                at: path.appending(field)
            )
        }
        for (index, entry) in settings.trustedIPs.enumerated() where !NetworkSyntax.isCIDR(entry) {
            error(
                "invalid IP address or CIDR range \(ConfigScalar(entry).quotedForMessage)",
                at: path.appending("trusted_ips").appending(index: index)
            )
        }
        let timeouts = [
            ("client_header_timeout", settings.clientHeaderTimeout),
            ("client_body_timeout", settings.clientBodyTimeout),
            ("keepalive_timeout", settings.keepaliveTimeout),
        ]
        for (field, value) in timeouts where value.milliseconds <= 0 {
            error("must be greater than 0", at: path.appending(field))
        }
        for (field, value) in [
            ("max_header_size", settings.maxHeaderSize), ("max_request_line", settings.maxRequestLine),
        ]
        where value.bytes <= 0 {
            error("must be greater than 0", at: path.appending(field))
        }
        for file in settings.luaSSLTrustedCertificate.files where !FileManager.default.isReadableFile(atPath: file) {
            error(
                "certificate file \(ConfigScalar(file).quotedForMessage) does not exist or cannot be read",
                at: path.appending("lua_ssl_trusted_certificate")
            )
        }
    }
}
