import NIOCore
import NIOHTTP1

/// Everything one request carries through the gateway: Pasarela's PDK.
///
/// A context is created when a request head arrives and lives on that connection's event loop until the
/// log phase has run; plugins read and change it from their phases. It is deliberately not `Sendable`.
public final class RequestContext {
    /// The event loop the request lives on; an asynchronous plugin step completes its future here.
    public let eventLoop: any EventLoop
    /// The request id (kept from a well-formed incoming `X-Request-Id`, otherwise generated).
    public let requestID: String
    /// When the request head arrived (monotonic).
    public let startedAt: NIODeadline
    /// The client's request head as received (original URI, version, headers). Built from the
    /// head parsed in place the first time something asks (a plugin, usually): a route without
    /// plugins never pays for it.
    public var originalHead: HTTPRequestHead {
        switch head {
        case .built(let built):
            return built
        case .parsed(let raw):
            let built = raw.makeHTTPRequestHead()
            head = .built(built)
            return built
        }
    }
    /// The request method.
    public let method: HTTPMethod
    /// The normalised request path (what routes were matched against).
    public let path: String
    /// The raw query string, without `?`, or nil when the URI had none.
    public var query: String?
    /// The headers that will be sent upstream (before the gateway's own forwarding headers): the
    /// client's until a plugin changes them.
    public var requestHeaders: HTTPHeaders {
        get { ownsRequestHeaders ? ownRequestHeaders : originalHead.headers }
        set {
            ownRequestHeaders = newValue
            ownsRequestHeaders = true
        }
        // In place: a plugin's `requestHeaders.add(...)` must not copy the headers at every change
        // (a get/set pair would, the stored copy and the one being changed sharing storage).
        _modify {
            if !ownsRequestHeaders {
                ownRequestHeaders = originalHead.headers
                ownsRequestHeaders = true
            }
            yield &ownRequestHeaders
        }
    }
    /// The address of the TCP peer.
    public let peerAddress: SocketAddress?
    /// The client's IP: the peer, or the address from `X-Real-IP`/`X-Forwarded-For` when the peer is trusted.
    public let clientIP: String
    /// The scheme the client used (`http` or `https`), after trusted `X-Forwarded-Proto`.
    public let clientScheme: String

    /// The matched route.
    public internal(set) var route: ProxyRoute?
    /// Named captures of the route's regex path.
    public internal(set) var captures: [String: String] = [:]
    /// The path that will be sent upstream: the request path after `strip_path`, joined to the
    /// service's path as Kong does. Plugins may change it.
    public var upstreamPath: String
    /// The part of the path `strip_path` removed (sent upstream as `X-Forwarded-Prefix`).
    public internal(set) var strippedPrefix: String?
    /// The method sent upstream (Kong's `kong.service.request.set_method`); the client's by default.
    public var upstreamMethod: HTTPMethod
    /// When set, the `Host` header sent upstream, whatever `preserve_host` says (Kong's
    /// `kong.service.request.set_header("host", ...)`).
    public var upstreamHost: String?

    /// The whole request body, once a plugin opted in to it (``Plugin/requestBodyBufferLimit(_:)``);
    /// nil while the body streams. Replaced by ``replaceRequestBody(_:)``.
    public internal(set) var requestBody: ByteBuffer?
    /// True once ``replaceRequestBody(_:)`` changed the body sent upstream.
    public internal(set) var requestBodyReplaced = false
    /// A limit on the request body enforced while it streams (see ``RequestBodyLimit``); nil: none.
    public var requestBodyLimit: RequestBodyLimit?

    /// The authenticated consumer, if any plugin identified one.
    public private(set) var consumer: Consumer?
    /// The identifier of the credential that authenticated the consumer (Kong's `X-Credential-Identifier`).
    public private(set) var credentialIdentifier: String?
    /// True when the consumer was set as the configured anonymous consumer.
    public private(set) var isAnonymous = false

    /// The response status sent downstream (set when the response head is written).
    public internal(set) var responseStatus: HTTPResponseStatus?
    /// The response headers sent downstream (set when the response head is written). Stays nil on
    /// a route without plugins, whose responses go to the client as bytes (nothing reads it there).
    public internal(set) var responseHeaders: HTTPHeaders?
    /// Who produced the response (Kong's `kong.response.get_source()`); nil before a response.
    public internal(set) var responseSource: ResponseSource?
    /// Response headers plugins want added to the downstream response (e.g. rate-limit counters).
    public var extraResponseHeaders: HTTPHeaders = [:]
    /// Bytes of request body received from the client.
    public internal(set) var requestBodyBytes = 0
    /// Bytes of response body sent to the client.
    public internal(set) var responseBodyBytes = 0
    /// When the request was handed to the upstream (or dispatcher), if it was.
    public internal(set) var upstreamStartedAt: NIODeadline?
    /// When the upstream's response head arrived, if it did.
    public internal(set) var upstreamRespondedAt: NIODeadline?
    /// When the response was complete.
    public internal(set) var finishedAt: NIODeadline?
    /// The upstream address the request went to, if any.
    public internal(set) var upstreamAddress: String?

    /// Observers of this request's response (see ``observeResponse(_:)``); empty on the fast path.
    var responseObservers: [any ResponseObserver] = []

    private var storage: [(ObjectIdentifier, Any)] = []

    /// The client's head: as parsed in place until ``originalHead`` is first asked for.
    private enum Head {
        case parsed(RawRequestHead)
        case built(HTTPRequestHead)
    }
    private var head: Head
    /// The headers for upstream once anything changed them (``requestHeaders``).
    private var ownRequestHeaders = HTTPHeaders()
    private var ownsRequestHeaders = false

    convenience init(
        eventLoop: any EventLoop,
        requestID: String,
        head: HTTPRequestHead,
        path: String,
        query: String?,
        peerAddress: SocketAddress?,
        clientIP: String,
        clientScheme: String
    ) {
        self.init(
            eventLoop: eventLoop,
            requestID: requestID,
            head: .built(head),
            method: head.method,
            path: path,
            query: query,
            peerAddress: peerAddress,
            client: (clientIP, clientScheme)
        )
    }

    /// A context for a head parsed in place (the proxy's): NIO's head is built only when asked for.
    convenience init(
        eventLoop: any EventLoop,
        requestID: String,
        parsed raw: RawRequestHead,
        path: String,
        query: String?,
        peerAddress: SocketAddress?,
        clientIP: String,
        clientScheme: String
    ) {
        self.init(
            eventLoop: eventLoop,
            requestID: requestID,
            head: .parsed(raw),
            method: raw.method,
            path: path,
            query: query,
            peerAddress: peerAddress,
            client: (clientIP, clientScheme)
        )
    }

    private init(
        eventLoop: any EventLoop,
        requestID: String,
        head: Head,
        method: HTTPMethod,
        path: String,
        query: String?,
        peerAddress: SocketAddress?,
        client: (ip: String, scheme: String)
    ) {
        self.eventLoop = eventLoop
        self.requestID = requestID
        self.startedAt = .now()
        self.head = head
        self.method = method
        self.path = path
        self.query = query
        self.peerAddress = peerAddress
        self.clientIP = client.ip
        self.clientScheme = client.scheme
        self.upstreamPath = path
        self.upstreamMethod = method
    }

    /// The request is a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`).
    public var isPreflight: Bool {
        method == .OPTIONS && originalHead.headers.contains(name: "origin")
            && originalHead.headers.contains(name: "access-control-request-method")
    }

    /// Records the authenticated consumer and sets Kong's consumer headers for the upstream
    /// (`X-Consumer-ID`, `X-Consumer-Custom-ID`, `X-Consumer-Username`, `X-Credential-Identifier`,
    /// `X-Anonymous-Consumer`), removing any the client sent.
    public func authenticate(consumer: Consumer, credentialIdentifier: String?, anonymous: Bool = false) {
        self.consumer = consumer
        self.credentialIdentifier = credentialIdentifier
        self.isAnonymous = anonymous
        requestHeaders.replaceOrAdd(name: "X-Consumer-ID", value: consumer.id)
        if let customID = consumer.customID {
            requestHeaders.replaceOrAdd(name: "X-Consumer-Custom-ID", value: customID)
        } else {
            requestHeaders.remove(name: "X-Consumer-Custom-ID")
        }
        if let username = consumer.username {
            requestHeaders.replaceOrAdd(name: "X-Consumer-Username", value: username)
        } else {
            requestHeaders.remove(name: "X-Consumer-Username")
        }
        if let credentialIdentifier {
            requestHeaders.replaceOrAdd(name: "X-Credential-Identifier", value: credentialIdentifier)
        } else {
            requestHeaders.remove(name: "X-Credential-Identifier")
        }
        if anonymous {
            requestHeaders.replaceOrAdd(name: "X-Anonymous-Consumer", value: "true")
        } else {
            requestHeaders.remove(name: "X-Anonymous-Consumer")
        }
    }

    /// Asks to see this request's response (head, body chunks, end) as its producer made it, while
    /// it streams to the client (see ``ResponseObserver``). Opt-in per request: responses nobody
    /// observes stream without any extra work.
    public func observeResponse(_ observer: any ResponseObserver) {
        responseObservers.append(observer)
    }

    /// Per-request state of a plugin, keyed by a type the plugin owns.
    public subscript<Key: RequestStorageKey>(key: Key.Type) -> Key.Value? {
        get {
            let id = ObjectIdentifier(key)
            for entry in storage where entry.0 == id { return entry.1 as? Key.Value }
            return nil
        }
        set {
            let id = ObjectIdentifier(key)
            storage.removeAll { $0.0 == id }
            if let newValue { storage.append((id, newValue)) }
        }
    }
}

/// Who produced a response, as Kong's `kong.response.get_source()`.
public enum ResponseSource: String, Sendable {
    /// The upstream service (or the worker behind a dispatcher) answered.
    case service
    /// A plugin answered the request itself (Kong's `kong.response.exit`).
    case exit
    /// The gateway answered with an error of its own (no route, 502, 504, ...).
    case error
}

/// A key for plugin state stored on a ``RequestContext``.
public protocol RequestStorageKey {
    /// The stored value's type.
    associatedtype Value
}
