import Gateway
import NIOCore
import NIOHTTP1

/// Kong's `response-transformer`: edits response headers (remove, rename, replace, add, append)
/// and, for JSON responses (`application/json`, `application/*+json`), the members of the body's
/// top-level object, with `json_types` for the values of replace/add/append.
///
/// Only responses it edits are held (up to ``maxBufferedBodyBytes``; a larger body is not sent
/// unedited: the client gets 502). A JSON body that does not parse, or is not an object, is sent
/// unchanged. Applies to the gateway's own responses too.
public struct ResponseTransformerPlugin: ConfigurablePlugin {
    public static let name = "response-transformer"
    public static let priority = 800

    /// The largest response body held for editing.
    public static let maxBufferedBodyBytes = 16 * 1024 * 1024

    let transformation: ResponseTransformation

    public init(configuration: ResponseTransformerConfig, context: PluginBuildContext) {
        transformation = ResponseTransformation(config: configuration)
    }

    public func responseBodyBuffering(_ context: RequestContext, head: HTTPResponseHead) -> ResponseBodyBuffering? {
        guard transformation.config.editsJSON, BodyKind.isJSONResponse(head.headers.first(name: "content-type")) else {
            return nil
        }
        return ResponseBodyBuffering(maxBytes: Self.maxBufferedBodyBytes, overflow: .reject)
    }

    public func response(_ context: RequestContext, head: inout HTTPResponseHead) {
        transformation.transformHeaders(&head.headers)
    }

    public func responseBody(_ context: RequestContext, head: inout HTTPResponseHead, body: inout ByteBuffer) {
        guard let edited = transformation.transformJSON(body.readableBytesView) else { return }
        var output = ByteBuffer()
        edited.write(into: &output)
        body = output
    }
}
