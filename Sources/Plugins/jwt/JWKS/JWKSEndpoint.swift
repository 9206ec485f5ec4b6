import Foundation
import NIOCore
import NIOHTTP1

/// Where a JWKS is fetched from (its certificate is always verified when `https`: these are the
/// keys that decide who gets in).
typealias JWKSEndpoint = OutboundEndpoint

extension OutboundEndpoint {
    /// Parses a `jwks_uri`, with the jwt plugin's messages.
    init(jwksURI uri: String) throws(JWTVerificationKey.KeyError) {
        switch Result(catching: { () throws(Invalid) in try OutboundEndpoint(uri) }) {
        case .success(let endpoint):
            self = endpoint
        case .failure(.malformed):
            throw .init(description: "invalid jwks_uri \"\(uri)\"")
        case .failure(.notHTTP):
            throw .init(description: "invalid jwks_uri \"\(uri)\": expected an http or https URL")
        }
    }
}

/// Fetches JWKS documents.
enum JWKSFetcher {
    /// What the endpoint answered.
    struct Response: Sendable {
        var status: Int
        /// `Cache-Control: max-age` in seconds (0 for `no-cache`/`no-store`), if given.
        var maxAge: Double?
        var body: [UInt8]
    }

    /// `GET`s `endpoint`; fails as ``OutboundHTTP/send(_:_:headers:body:tls:on:timeout:maxBytes:)``.
    static func get(_ endpoint: JWKSEndpoint, tls: OutboundTLS?, on loop: any EventLoop) -> EventLoopFuture<Response> {
        OutboundHTTP.send(.GET, endpoint, headers: ["Accept": "application/json"], tls: tls, on: loop).map { response in
            Response(
                status: response.status,
                maxAge: maxAge(response.headers.first(name: "cache-control")),
                body: response.body
            )
        }
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
