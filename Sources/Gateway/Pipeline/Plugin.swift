import NIOCore
import NIOHTTP1

/// A gateway plugin: one configured instance of a Kong-style plugin (config is built once at load
/// and shared by every request; per-request state lives on the ``RequestContext``).
///
/// Phases follow Kong: ``access(_:)`` runs before the upstream is contacted and may answer the request
/// itself; ``response(_:head:)`` sees the upstream's (or a local) response head before it is sent;
/// ``log(_:)`` runs after the response is complete and never delays it.
public protocol Plugin: Sendable {
    /// Kong's plugin name, e.g. `"correlation-id"`.
    static var name: String { get }
    /// Kong's priority: plugins with a higher priority run first.
    static var priority: Int { get }

    /// Runs before the request is proxied. Return ``AccessStep/proceed`` on the fast path (no
    /// allocation, no thread hop); ``AccessStep/wait(_:)`` only when the plugin needs I/O.
    func access(_ context: RequestContext) -> AccessStep

    /// Adjusts the response head (status and headers) before it is written downstream.
    func response(_ context: RequestContext, head: inout HTTPResponseHead)

    /// Observes the finished exchange. Must not block: hand slow work to another thread.
    func log(_ context: RequestContext)

    /// Whether ``access(_:)`` also runs for CORS preflight (`OPTIONS` with `Origin` and
    /// `Access-Control-Request-Method`) requests, as Kong's `run_on_preflight`.
    var runsOnPreflight: Bool { get }
}

extension Plugin {
    public func access(_ context: RequestContext) -> AccessStep { .proceed }
    public func response(_ context: RequestContext, head: inout HTTPResponseHead) {}
    public func log(_ context: RequestContext) {}
    public var runsOnPreflight: Bool { true }
    /// The instance's name (the type's Kong name).
    public var name: String { Self.name }
    /// The instance's priority (the type's Kong priority).
    public var priority: Int { Self.priority }
}

/// What a plugin's access phase tells the chain to do next.
public enum AccessStep {
    /// Continue with the next plugin (or the upstream when this was the last).
    case proceed
    /// Stop the chain and answer the client with this response; the upstream is never contacted.
    case respond(LocalResponse)
    /// The plugin needs I/O: the chain resumes when the future completes, on the request's event loop.
    /// A failed future answers 500, as an error thrown in a Kong plugin does.
    case wait(EventLoopFuture<AccessDecision>)
    /// The plugin needs the whole request body: the gateway reads it (at most `limit` bytes, held in
    /// memory) and then runs this plugin's access phase again, with ``RequestContext/bufferedBody``
    /// set to `.complete(body)` or, when the body was larger than `limit`, `.exceeded`. Asking again
    /// once the body is there answers 500. Requests of plugins that never ask keep streaming.
    case bufferBody(limit: Int)
}

/// The outcome of an asynchronous access step.
public enum AccessDecision: Sendable {
    /// Continue with the next plugin.
    case proceed
    /// Stop the chain and answer with this response.
    case respond(LocalResponse)
}
