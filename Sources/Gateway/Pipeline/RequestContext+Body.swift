import NIOCore

extension RequestContext {
    /// Sets the body sent upstream (Kong's `kong.service.request.set_raw_body`) and its
    /// `Content-Length` (a chunked request is then sent with a length). Only possible once the body
    /// is buffered, i.e. in the access phase of a plugin that opted in with
    /// ``Plugin/requestBodyBufferLimit(_:)``; returns false (and changes nothing) otherwise.
    @discardableResult
    public func replaceRequestBody(_ body: ByteBuffer) -> Bool {
        guard requestBody != nil else { return false }
        requestBody = body
        requestBodyReplaced = true
        requestHeaders.remove(name: "transfer-encoding")
        requestHeaders.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
        return true
    }
}

/// A limit on the request body that the gateway enforces while the body streams, without holding
/// it (Kong's `request-size-limiting` on chunked bodies). Set by a plugin's access phase on
/// ``RequestContext/requestBodyLimit``.
///
/// Once more than ``maxBytes`` have arrived: if no response has started, the upstream connection
/// (when one was already receiving the body) is aborted and the client gets ``response`` and a
/// closed connection; if the upstream's response has already started, both connections are closed.
public struct RequestBodyLimit: Sendable {
    /// The most body bytes allowed.
    public var maxBytes: Int
    /// The answer when the limit is passed, e.g. `413 Request size limit exceeded`.
    public var response: LocalResponse

    /// A limit of `maxBytes`, answered with `response`.
    public init(maxBytes: Int, response: LocalResponse) {
        self.maxBytes = maxBytes
        self.response = response
    }
}
