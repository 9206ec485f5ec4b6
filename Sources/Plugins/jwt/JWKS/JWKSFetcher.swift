import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Where a JWKS is fetched from: an `http` or `https` URL split for NIO.
struct JWKSEndpoint: Sendable, Hashable, CustomStringConvertible {
    let host: String
    let port: Int
    /// Whether the URL is `https` (the certificate is always verified: these are the keys that decide
    /// who gets in).
    let isHTTPS: Bool
    /// Path and query, e.g. `/.well-known/jwks.json`.
    let target: String
    let description: String

    /// Parses `uri`; throws for anything but `http(s)://host[:port]/path`.
    init(_ uri: String) throws(JWTVerificationKey.KeyError) {
        guard let components = URLComponents(string: uri), let host = components.host, !host.isEmpty else {
            throw .init(description: "invalid jwks_uri \"\(uri)\"")
        }
        switch components.scheme?.lowercased() {
        case "http": isHTTPS = false
        case "https": isHTTPS = true
        default: throw .init(description: "invalid jwks_uri \"\(uri)\": expected an http or https URL")
        }
        self.host = host
        self.port = components.port ?? (isHTTPS ? 443 : 80)
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        self.target = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
        self.description = uri
    }

    /// The `Host` header: the port only when it is not the scheme's default.
    var hostHeader: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port == (isHTTPS ? 443 : 80) ? bracketed : "\(bracketed):\(port)"
    }
}

/// A one-shot HTTP/1.1 `GET` over NIO for JWKS documents: bounded in size and time, no redirects.
enum JWKSFetcher {
    /// What the endpoint answered.
    struct Response: Sendable {
        var status: Int
        /// `Cache-Control: max-age` in seconds (0 for `no-cache`/`no-store`), if given.
        var maxAge: Double?
        var body: [UInt8]
    }

    /// Why a fetch failed.
    enum Failure: Error {
        case timedOut
        case tooLarge
        case closedEarly
    }

    /// Fetches `endpoint` (over `tls` when given); the future fails on a network error, a certificate
    /// that does not verify, a timeout or a body over `maxBytes`.
    static func get(
        _ endpoint: JWKSEndpoint,
        tls: OutboundTLS?,
        on loop: any EventLoop,
        timeout: TimeAmount = .seconds(5),
        maxBytes: Int = 1 << 20
    ) -> EventLoopFuture<Response> {
        let promise = loop.makePromise(of: Response.self)
        let timer = loop.scheduleTask(in: timeout) { promise.fail(Failure.timedOut) }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try tls?.addHandler(to: channel)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(JWKSResponseHandler(promise: promise, maxBytes: maxBytes))
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    promise.fail(error)
                case .success(let channel):
                    promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: endpoint.hostHeader)
                    headers.add(name: "Accept", value: "application/json")
                    headers.add(name: "User-Agent", value: "pasarela")
                    headers.add(name: "Connection", value: "close")
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: endpoint.target, headers: headers)
                    channel.write(HTTPClientRequestPart.head(head), promise: nil)
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                }
            }
        return promise.futureResult
    }

    /// `max-age` from a `Cache-Control` value (`no-cache`/`no-store` count as 0).
    static func maxAge(_ cacheControl: String?) -> Double? {
        guard let cacheControl else { return nil }
        var result: Double?
        for directive in cacheControl.lowercased().split(separator: ",") {
            let trimmed = directive.trimmingCharacters(in: .whitespaces)
            if trimmed == "no-cache" || trimmed == "no-store" { return 0 }
            if trimmed.hasPrefix("max-age="),
                let seconds = Double(trimmed.dropFirst(8).trimmingCharacters(in: .init(charactersIn: "\""))),
                seconds >= 0
            {
                result = seconds
            }
        }
        return result
    }
}

/// Collects one response and completes the fetch's promise.
private final class JWKSResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<JWKSFetcher.Response>
    private let maxBytes: Int
    private var response: JWKSFetcher.Response?

    init(promise: EventLoopPromise<JWKSFetcher.Response>, maxBytes: Int) {
        self.promise = promise
        self.maxBytes = maxBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response = .init(
                status: Int(head.status.code),
                maxAge: JWKSFetcher.maxAge(head.headers.first(name: "cache-control")),
                body: []
            )
        case .body(let buffer):
            guard response != nil else { return }
            if (response?.body.count ?? 0) + buffer.readableBytes > maxBytes {
                promise.fail(JWKSFetcher.Failure.tooLarge)
                context.close(promise: nil)
                return
            }
            response?.body.append(contentsOf: buffer.readableBytesView)
        case .end:
            if let response { promise.succeed(response) } else { promise.fail(JWKSFetcher.Failure.closedEarly) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(JWKSFetcher.Failure.closedEarly)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
