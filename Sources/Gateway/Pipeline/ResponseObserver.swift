import NIOCore
import NIOHTTP1

/// Sees one response while it streams to the client, whichever produced it (the upstream, a
/// dispatcher such as the AMQP bridge, a plugin or the gateway itself), without changing it or
/// holding it back. Registered per request with ``RequestContext/observeResponse(_:)``; every call
/// happens on the request's event loop.
///
/// It is the hook for plugins that *record* a response (e.g. `idempotency` storing it for replay);
/// plugins that *rewrite* a body use ``Plugin/responseBodyBuffering(_:head:)`` instead (see
/// ``Plugin``). An observer sees the response as its producer made it: the head before the response
/// phase of the plugins and before ``RequestContext/extraResponseHeaders``, the body before any
/// ``Plugin/responseBody(_:head:body:)`` rewrite. So a recorded response answered again through the
/// gateway (``LocalResponse``) runs through those exactly once. When the body is held for a rewriting
/// plugin, the observer sees it as one chunk once it is complete.
public protocol ResponseObserver: AnyObject {
    /// The head as its producer made it. Called for every response, including bodyless ones.
    func responseHead(_ head: HTTPResponseHead, context: RequestContext)
    /// One chunk of the body as its producer made it.
    func responseBody(_ chunk: ByteBuffer, context: RequestContext)
    /// The whole response was produced (called just before its end goes to the client). Not called
    /// when the exchange broke off: the log phase runs without it.
    func responseEnd(context: RequestContext)
}
