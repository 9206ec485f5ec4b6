import NIOCore
import NIOHTTP1

/// A destination that is not an HTTP upstream (for example an AMQP queue): it receives the whole
/// request and produces the response. The core knows it only through this protocol.
public protocol RequestDispatcher: Sendable {
    /// Largest request body the dispatcher accepts (it buffers the body before dispatching).
    var maxBodySize: Int { get }
    /// Handles one request whose access phase passed; the future completes on any event loop.
    func dispatch(_ request: DispatchRequest) -> EventLoopFuture<LocalResponse>
}

/// The request a ``RequestDispatcher`` receives.
public struct DispatchRequest: Sendable {
    /// The request id.
    public let requestID: String
    /// The method.
    public let method: HTTPMethod
    /// The normalised request path (as the client sent it, not stripped).
    public let path: String
    /// The raw query string, if any.
    public let query: String?
    /// The request headers after plugins ran (hop-by-hop headers removed).
    public let headers: HTTPHeaders
    /// Regex captures of the route.
    public let captures: [String: String]
    /// The authenticated consumer.
    public let consumer: Consumer?
    /// The whole body.
    public let body: ByteBuffer
    /// The event loop of the client's connection (a good place to complete the future).
    public let eventLoop: any EventLoop
}
