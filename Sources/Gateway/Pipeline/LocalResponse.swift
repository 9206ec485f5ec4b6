import NIOCore
import NIOHTTP1

/// A response produced by the gateway itself (an error, a plugin's answer), never by the upstream.
public struct LocalResponse: Sendable {
    /// The status code.
    public var status: HTTPResponseStatus
    /// Headers to send besides the framing headers the gateway adds.
    public var headers: HTTPHeaders
    /// The body, sent with a `Content-Length`.
    public var body: ByteBuffer?

    /// A response with an explicit body.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Kong's error shape: `{"message":"..."}` with `Content-Type: application/json; charset=utf-8`.
    /// The gateway adds `"request_id"` when it writes the response.
    public static func message(
        _ status: HTTPResponseStatus,
        _ message: String,
        headers: HTTPHeaders = [:]
    ) -> LocalResponse {
        var response = LocalResponse(status: status, headers: headers)
        response.jsonMessage = message
        return response
    }

    /// A JSON object body given as already-encoded members (used for Kong's claim errors such as
    /// `{"exp":"token expired"}`), written verbatim.
    public static func json(_ status: HTTPResponseStatus, object: [(String, String)], headers: HTTPHeaders = [:])
        -> LocalResponse
    {
        var response = LocalResponse(status: status, headers: headers)
        response.jsonMembers = object
        return response
    }

    /// When set, the body is `{"message": jsonMessage, "request_id": ...}`.
    public var jsonMessage: String?
    /// When set, the body is this JSON object (string members), without a request id.
    public var jsonMembers: [(String, String)]?
}
