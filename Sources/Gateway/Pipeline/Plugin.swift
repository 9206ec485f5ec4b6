import NIOCore
import NIOHTTP1

/// A gateway plugin: one configured instance of a Kong-style plugin (config is built once at load
/// and shared by every request; per-request state lives on the ``RequestContext``).
///
/// Phases follow Kong: ``access(_:)`` runs before the upstream is contacted and may answer the request
/// itself; ``response(_:head:)`` sees the upstream's (or a local) response head before it is sent;
/// ``log(_:)`` runs after the response is complete and never delays it.
///
/// Bodies stream through the gateway untouched unless a plugin opts in, per request:
/// - the whole request body: ``requestBodyBufferLimit(_:)``, then ``RequestContext/requestBody`` in
///   ``access(_:)`` (e.g. `request-transformer` editing it, `idempotency` fingerprinting it);
/// - to rewrite the response body: ``responseBodyBuffering(_:head:)`` and
///   ``responseBody(_:head:body:)``. The response is held until complete and sent with a
///   `Content-Length` (e.g. `response-transformer`);
/// - to record the response without changing or delaying it: ``RequestContext/observeResponse(_:)``
///   with a ``ResponseObserver``, which sees it as it streams, as its producer made it, for every
///   status (e.g. `idempotency` storing it for replay).
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

    /// Opt-in to the whole request body (Kong's `kong.request.get_raw_body()`): the most bytes this
    /// plugin accepts to hold for this request, or nil (the default) to leave the body streaming.
    ///
    /// Asked just before this plugin's ``access(_:)``. When it returns a limit and the body is not
    /// buffered yet, the chain pauses there, the gateway reads the body to its end, then runs
    /// ``access(_:)`` with ``RequestContext/requestBody`` set. A body over the limit (also one an
    /// earlier plugin already had read) is answered `413 Request size limit exceeded` and the
    /// connection closed. Change what goes upstream with ``RequestContext/replaceRequestBody(_:)``.
    /// Requests whose plugins all return nil keep the streaming path untouched.
    func requestBodyBufferLimit(_ context: RequestContext) -> Int?

    /// Opt-in to the whole response body, to rewrite it: how this plugin wants the body of this
    /// response held, or nil (the default) to let it stream. Only to read it, use a
    /// ``ResponseObserver``, which does not delay the response.
    ///
    /// Asked when the response head is known (upstream or local), before ``response(_:head:)``.
    /// When a plugin opts in, the gateway holds the head and the body (up to the smallest limit asked
    /// for), then runs ``response(_:head:)`` for every plugin and ``responseBody(_:head:body:)`` for
    /// the plugins that opted in, in chain order, and sends the result with a `Content-Length`.
    /// Never asked for `HEAD` requests or statuses without a body.
    func responseBodyBuffering(_ context: RequestContext, head: HTTPResponseHead) -> ResponseBodyBuffering?

    /// Sees, and may rewrite, the complete response body this plugin opted in to (see
    /// ``responseBodyBuffering(_:head:)``). Runs after every plugin's ``response(_:head:)``; the
    /// gateway sets `Content-Length` from the final body afterwards.
    func responseBody(_ context: RequestContext, head: inout HTTPResponseHead, body: inout ByteBuffer)
}

/// How a plugin wants a response body held (see ``Plugin/responseBodyBuffering(_:head:)``).
public struct ResponseBodyBuffering: Sendable, Hashable {
    /// What happens when the body grows beyond ``maxBytes``.
    public enum Overflow: Sendable, Hashable {
        /// Give up holding: send the response as it is, unchanged (for rewrites that may be skipped,
        /// e.g. compressing only bodies that fit). ``Plugin/responseBody(_:head:body:)`` is not called.
        case stream
        /// Do not send the unmodified body (for transformers whose changes must not be skipped): the
        /// client gets `502 An invalid response was received from the upstream server`.
        case reject
    }

    /// The most bytes held.
    public var maxBytes: Int
    /// What happens beyond ``maxBytes``.
    public var overflow: Overflow

    /// Holds up to `maxBytes`; `overflow` says what happens beyond.
    public init(maxBytes: Int, overflow: Overflow) {
        self.maxBytes = maxBytes
        self.overflow = overflow
    }
}

extension Plugin {
    public func access(_ context: RequestContext) -> AccessStep { .proceed }
    public func response(_ context: RequestContext, head: inout HTTPResponseHead) {}
    public func log(_ context: RequestContext) {}
    public var runsOnPreflight: Bool { true }
    public func requestBodyBufferLimit(_ context: RequestContext) -> Int? { nil }
    public func responseBodyBuffering(_ context: RequestContext, head: HTTPResponseHead) -> ResponseBodyBuffering? { nil }
    public func responseBody(_ context: RequestContext, head: inout HTTPResponseHead, body: inout ByteBuffer) {}
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
}

/// The outcome of an asynchronous access step.
public enum AccessDecision: Sendable {
    /// Continue with the next plugin.
    case proceed
    /// Stop the chain and answer with this response.
    case respond(LocalResponse)
}
