import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Where a plugin's own HTTP request goes: an `http` or `https` URL split for NIO.
struct OutboundEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Why a URL was refused.
    enum Invalid: Error {
        /// Not a URL with a host.
        case malformed
        /// A URL, but not `http` or `https`.
        case notHTTP
    }

    let host: String
    let port: Int
    let isHTTPS: Bool
    /// Path and query, e.g. `/.well-known/jwks.json`.
    let target: String
    /// `user:password` from the URL, sent as Basic authorization (Kong's http-log does so).
    let credentials: String?
    /// The URL as configured.
    let description: String

    /// Parses `uri`: `http(s)://[user:password@]host[:port]/path`.
    init(_ uri: String) throws(Invalid) {
        guard let components = URLComponents(string: uri), let host = components.host, !host.isEmpty else {
            throw .malformed
        }
        switch components.scheme?.lowercased() {
        case "http": isHTTPS = false
        case "https": isHTTPS = true
        default: throw .notHTTP
        }
        self.host = host
        self.port = components.port ?? (isHTTPS ? 443 : 80)
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        self.target = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
        if let user = components.user {
            self.credentials = "\(user):\(components.password ?? "")"
        } else {
            self.credentials = nil
        }
        self.description = uri
    }

    /// The `Host` header: the port only when it is not the scheme's default.
    var hostHeader: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port == (isHTTPS ? 443 : 80) ? bracketed : "\(bracketed):\(port)"
    }
}

/// One-shot HTTP/1.1 requests over NIO for the plugins' own calls (JWKS documents, http-log
/// batches): one connection per request, bounded in time and in the size of the answer, no
/// redirects. Written here rather than with AsyncHTTPClient, which would add a large dependency
/// (and a second connection pool) for these two small, rare kinds of request.
enum OutboundHTTP {
    /// What the endpoint answered.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    /// Why a request failed.
    enum Failure: Error {
        case timedOut
        case tooLarge
        case closedEarly
    }

    /// Sends one request to `endpoint` (over `tls` when given); the future fails on a network error,
    /// a certificate that does not verify, a timeout or an answer over `maxBytes`. `Host`,
    /// `User-Agent`, `Connection: close`, `Content-Length` and Basic credentials from the URL are
    /// added to `headers`.
    static func send(
        _ method: HTTPMethod,
        _ endpoint: OutboundEndpoint,
        headers: HTTPHeaders = [:],
        body: ByteBuffer? = nil,
        tls: OutboundTLS?,
        on loop: any EventLoop,
        timeout: TimeAmount = .seconds(5),
        maxBytes: Int = 1 << 20
    ) -> EventLoopFuture<Response> {
        let promise = loop.makePromise(of: Response.self)
        let timer = loop.scheduleTask(in: timeout) { promise.fail(Failure.timedOut) }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        var requestHeaders = headers
        requestHeaders.replaceOrAdd(name: "Host", value: endpoint.hostHeader)
        if !requestHeaders.contains(name: "User-Agent") { requestHeaders.add(name: "User-Agent", value: "pasarela") }
        requestHeaders.replaceOrAdd(name: "Connection", value: "close")
        if let body { requestHeaders.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes)) }
        if let credentials = endpoint.credentials, !requestHeaders.contains(name: "Authorization") {
            requestHeaders.add(name: "Authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
        }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: endpoint.target, headers: requestHeaders)
        ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try tls?.addHandler(to: channel)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(OutboundResponseHandler(promise: promise, maxBytes: maxBytes))
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    promise.fail(error)
                case .success(let channel):
                    promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                    channel.write(HTTPClientRequestPart.head(head), promise: nil)
                    if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                }
            }
        return promise.futureResult
    }
}

/// Collects one response and completes the request's promise.
private final class OutboundResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<OutboundHTTP.Response>
    private let maxBytes: Int
    private var response: OutboundHTTP.Response?

    init(promise: EventLoopPromise<OutboundHTTP.Response>, maxBytes: Int) {
        self.promise = promise
        self.maxBytes = maxBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response = .init(status: Int(head.status.code), headers: head.headers, body: [])
        case .body(let buffer):
            guard response != nil else { return }
            if (response?.body.count ?? 0) + buffer.readableBytes > maxBytes {
                promise.fail(OutboundHTTP.Failure.tooLarge)
                context.close(promise: nil)
                return
            }
            response?.body.append(contentsOf: buffer.readableBytesView)
        case .end:
            if let response { promise.succeed(response) } else { promise.fail(OutboundHTTP.Failure.closedEarly) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(OutboundHTTP.Failure.closedEarly)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
