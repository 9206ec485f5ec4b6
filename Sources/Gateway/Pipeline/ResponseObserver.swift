import NIOCore
import NIOHTTP1

/// Sees one response as it is written to the client, whichever produced it (the upstream, a
/// dispatcher such as the AMQP bridge, a plugin or the gateway itself). Registered per request with
/// ``RequestContext/observeResponse(_:)``; all calls happen on the request's event loop.
///
/// The observer cannot change the response; it is for plugins that record it (e.g. `idempotency`).
public protocol ResponseObserver: AnyObject {
    /// The head as its producer made it, before the response phase of the plugins and before the
    /// rate-limit style ``RequestContext/extraResponseHeaders`` are added (so a replay of it runs
    /// through them once, not twice).
    func responseHead(_ head: HTTPResponseHead, context: RequestContext)
    /// One chunk of the body as sent.
    func responseBody(_ chunk: ByteBuffer, context: RequestContext)
    /// The whole response was written (called before its end goes to the client). Not called when
    /// the exchange broke off: the log phase runs without it.
    func responseEnd(context: RequestContext)
}
