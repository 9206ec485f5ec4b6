import Foundation
import Gateway
import NIOHTTP1
import Synchronization

/// Kong's `correlation-id`: gives every request an id in a header (kept when the client sent one),
/// forwarded upstream and optionally echoed to the client.
public struct CorrelationIDPlugin: ConfigurablePlugin {
    public static let name = "correlation-id"
    public static let priority = 100_001

    let config: CorrelationIDConfig
    private let counter: CorrelationCounter

    public init(configuration: CorrelationIDConfig, context: PluginBuildContext) {
        config = configuration
        counter = CorrelationCounter()
    }

    public func access(_ context: RequestContext) -> AccessStep {
        let id: String
        if let existing = context.requestHeaders.first(name: config.headerName), !existing.isEmpty {
            id = existing
        } else {
            id = makeID(context)
            context.requestHeaders.replaceOrAdd(name: config.headerName, value: id)
        }
        if config.echoDownstream { context[CorrelationIDKey.self] = id }
        return .proceed
    }

    public func response(_ context: RequestContext, head: inout HTTPResponseHead) {
        guard config.echoDownstream else { return }
        let id = context[CorrelationIDKey.self] ?? context.requestHeaders.first(name: config.headerName)
        if let id { head.headers.replaceOrAdd(name: config.headerName, value: id) }
    }

    func makeID(_ context: RequestContext) -> String {
        switch config.generator {
        case .uuid:
            return RequestID.uuid()
        case .uuidCounter:
            return "\(counter.seed)#\(counter.next())"
        case .tracker:
            let millis = Int(Date().timeIntervalSince1970 * 1000)
            let peer = context.peerAddress?.ipAddress ?? "0.0.0.0"
            let port = context.peerAddress?.port ?? 0
            return "\(peer)-\(port)-\(ProcessInfo.processInfo.processIdentifier)-\(counter.next())-\(millis)"
        }
    }
}

/// The id set for this request, for `echo_downstream` (also when a local response answers it).
enum CorrelationIDKey: RequestStorageKey {
    typealias Value = String
}

/// A per-instance UUID and counter for the `uuid#counter` generator (Kong keeps one per worker).
final class CorrelationCounter: Sendable {
    let seed = RequestID.uuid()
    private let value = Atomic<Int>(0)

    func next() -> Int { value.add(1, ordering: .relaxed).newValue }
}
