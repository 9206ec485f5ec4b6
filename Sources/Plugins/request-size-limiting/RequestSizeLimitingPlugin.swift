import Gateway
import NIOHTTP1

/// Kong's `request-size-limiting`: refuses bodies larger than the configured size without reading
/// them. A `Content-Length` is checked up front; a chunked body is counted as it streams and cut off
/// once it passes the limit (see ``RequestBodyLimit``). Requests that said `Expect: 100-continue`
/// get 417 instead of 413, as in Kong. Refusals close the connection, so the rest of the body is
/// never read.
public struct RequestSizeLimitingPlugin: ConfigurablePlugin {
    public static let name = "request-size-limiting"
    public static let priority = 951

    /// Kong's message for a body over the limit.
    public static let tooLargeMessage = "Request size limit exceeded"
    /// Kong's message when `require_content_length` is set and no valid length was sent.
    public static let lengthRequiredMessage = "A valid Content-Length header is required"

    let config: RequestSizeLimitingConfig
    let allowedBytes: Int

    public init(configuration: RequestSizeLimitingConfig, context: PluginBuildContext) {
        config = configuration
        allowedBytes = configuration.allowedBytes
    }

    public func access(_ context: RequestContext) -> AccessStep {
        let headers = context.originalHead.headers
        let refusal = Self.refusal(expectsContinue: Self.expectsContinue(headers))
        if let declared = headers.first(name: "content-length"), let length = Int(declared.trimmingSpaces) {
            return length > allowedBytes ? .respond(refusal) : .proceed
        }
        if config.requireContentLength, !Self.isChunked(headers) {
            return .respond(.message(.lengthRequired, Self.lengthRequiredMessage, headers: ["connection": "close"]))
        }
        if context.requestBodyBytes > allowedBytes { return .respond(refusal) }
        context.requestBodyLimit = RequestBodyLimit(maxBytes: allowedBytes, response: refusal)
        return .proceed
    }

    /// 413, or 417 when the client waits for `100 Continue` (Kong's choice), closing the connection.
    static func refusal(expectsContinue: Bool) -> LocalResponse {
        .message(
            expectsContinue ? .expectationFailed : .payloadTooLarge,
            tooLargeMessage,
            headers: ["connection": "close"]
        )
    }

    static func expectsContinue(_ headers: HTTPHeaders) -> Bool {
        headers.first(name: "expect").map { $0.trimmingSpaces.lowercased() == "100-continue" } ?? false
    }

    static func isChunked(_ headers: HTTPHeaders) -> Bool {
        headers["transfer-encoding"].contains { $0.lowercased().contains("chunked") }
    }
}
