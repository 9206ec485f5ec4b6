import Gateway
import NIOHTTP1

/// Kong's `ip-restriction`: refuses clients by address. `deny` is checked first, then `allow` (when
/// set, only its ranges pass). The client address is ``RequestContext/clientIP``: the TCP peer, or,
/// only when the peer is one of the `pasarela.trusted_ips`, the address it forwards (`X-Real-IP`,
/// else the last `X-Forwarded-For` entry), as Kong's `trusted_ips`/`real_ip_header` do.
public struct IPRestrictionPlugin: ConfigurablePlugin {
    public static let name = "ip-restriction"
    public static let priority = 990

    /// Kong's answer when the client address cannot be read.
    public static let unidentifiedMessage = "Cannot identify the client IP address"

    let allow: IPMatcher
    let deny: IPMatcher
    let status: HTTPResponseStatus
    let message: String?

    public init(configuration: IPRestrictionConfig, context: PluginBuildContext) throws {
        // The entries were checked while decoding; the matchers parse them once, here.
        guard let allow = IPMatcher((configuration.allow ?? []).map(\.text)),
            let deny = IPMatcher((configuration.deny ?? []).map(\.text))
        else { throw InvalidConfigValue("invalid ip or cidr range") }
        self.allow = allow
        self.deny = deny
        status = HTTPResponseStatus(statusCode: configuration.status ?? 403)
        message = configuration.message
    }

    public func access(_ context: RequestContext) -> AccessStep {
        switch decision(for: context.clientIP) {
        case .allowed: return .proceed
        case .refused: return .respond(.message(status, message ?? "IP address not allowed: \(context.clientIP)"))
        case .unidentified: return .respond(.message(.forbidden, Self.unidentifiedMessage))
        }
    }

    /// What the lists say about one client address.
    enum Decision: Equatable {
        case allowed, refused, unidentified
    }

    func decision(for address: String) -> Decision {
        guard CIDR(address) != nil, !address.contains("/") else { return .unidentified }
        if !deny.isEmpty, deny.contains(address) { return .refused }
        if !allow.isEmpty, !allow.contains(address) { return .refused }
        return .allowed
    }
}
