import Gateway

/// Kong's `acl`: lets a request through only when its consumer's groups (`acls` on consumers) are
/// allowed, and tells the upstream the groups in `X-Consumer-Groups`.
///
/// No consumer: 401 `Unauthorized`. A consumer outside `allow` or inside `deny`: 403 `You cannot
/// consume this service`. A consumer without groups is refused under `allow` (401 when it is the
/// anonymous consumer, 403 otherwise) and passes under `deny`.
public struct ACLPlugin: ConfigurablePlugin {
    public static let name = "acl"
    public static let priority = 950

    /// Whether the listed groups are the allowed or the refused ones.
    enum Mode: Equatable {
        case allow
        case deny
    }

    /// The decision for one consumer.
    enum Decision: Equatable {
        /// Let through; the header value lists the consumer's groups.
        case pass(groupsHeader: String)
        /// 401 `Unauthorized`.
        case unauthorized
        /// 403 `You cannot consume this service`.
        case forbidden
    }

    let mode: Mode
    let groups: Set<String>
    let hideGroupsHeader: Bool

    public init(configuration: ACLConfig, context: PluginBuildContext) {
        // Kong: a non-empty `deny` makes it a deny list, otherwise `allow` applies.
        if let deny = configuration.deny, !deny.isEmpty {
            mode = .deny
            groups = Set(deny)
        } else {
            mode = .allow
            groups = Set(configuration.allow ?? [])
        }
        hideGroupsHeader = configuration.hideGroupsHeader
    }

    public func access(_ context: RequestContext) -> AccessStep {
        // The groups header comes from the gateway only.
        context.requestHeaders.remove(name: "X-Consumer-Groups")
        switch decide(consumer: context.consumer, hasCredential: context.hasCredential) {
        case .unauthorized:
            return .respond(.message(.unauthorized, "Unauthorized"))
        case .forbidden:
            return .respond(.message(.forbidden, "You cannot consume this service"))
        case .pass(let header):
            if !hideGroupsHeader { context.requestHeaders.replaceOrAdd(name: "X-Consumer-Groups", value: header) }
            return .proceed
        }
    }

    /// Kong's rules, pure.
    func decide(consumer: Consumer?, hasCredential: Bool) -> Decision {
        guard let consumer else { return hasCredential ? .forbidden : .unauthorized }
        if consumer.groups.isEmpty, mode == .allow {
            return hasCredential ? .forbidden : .unauthorized
        }
        let member = consumer.groups.contains { groups.contains($0) }
        let blocked = mode == .deny ? member : !member
        return blocked ? .forbidden : .pass(groupsHeader: consumer.groups.joined(separator: ", "))
    }
}
