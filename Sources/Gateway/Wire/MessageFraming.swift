/// How a request's body is delimited (RFC 9112 §6.3), as its head says.
enum RequestFraming: Hashable, Sendable {
    /// Neither `Content-Length` nor `Transfer-Encoding`: no body.
    case none
    /// `Content-Length`: exactly this many bytes (possibly 0).
    case length(Int)
    /// `Transfer-Encoding` ending in `chunked`.
    case chunked
}

/// How a response's body is delimited (RFC 9112 §6.3), given its head and the request's method.
enum ResponseFraming: Hashable, Sendable {
    /// No body whatever the fields say: a response to HEAD, a 2xx to CONNECT, 1xx, 204 and 304.
    case none
    /// `Content-Length`: exactly this many bytes (possibly 0).
    case length(Int)
    /// `Transfer-Encoding` ending in `chunked`.
    case chunked
    /// Neither, or a `Transfer-Encoding` not ending in `chunked`: the body runs until the
    /// upstream closes the connection.
    case untilClose
}
