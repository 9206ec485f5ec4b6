import Gateway
import NIOCore
import NIOHTTP1

/// Kong's `request-transformer`: edits the request before it goes upstream, in Kong's order:
/// `replace.uri`, `http_method`, headers, body, querystring; within each, remove → rename →
/// replace → add → append.
///
/// Bodies: `application/json` (objects) and `application/x-www-form-urlencoded` are edited; the
/// plugin then holds the whole body (up to ``maxBufferedBodyBytes``; larger bodies get 413).
/// Not supported, unlike Kong: `$(...)` templates (refused at load), multipart bodies (sent
/// unchanged). Query arguments keep their order rather than Kong's sorted order.
public struct RequestTransformerPlugin: ConfigurablePlugin {
    public static let name = "request-transformer"
    public static let priority = 801

    /// The largest body held for editing.
    public static let maxBufferedBodyBytes = 8 * 1024 * 1024

    let transformation: RequestTransformation
    let method: HTTPMethod?

    public init(configuration: RequestTransformerConfig, context: PluginBuildContext) {
        transformation = RequestTransformation(config: configuration)
        method = configuration.httpMethod.map { HTTPMethod(rawValue: $0) }
    }

    public func requestBodyBufferLimit(_ context: RequestContext) -> Int? {
        let kind = BodyKind(requestContentType: context.requestHeaders.first(name: "content-type"))
        let needed =
            (transformation.editsBody && (kind == .json || kind == .form))
            || (transformation.movesFormBodyToQuery && kind == .form)
        return needed ? Self.maxBufferedBodyBytes : nil
    }

    public func access(_ context: RequestContext) -> AccessStep {
        let config = transformation.config
        if let uri = config.replace.uri { context.upstreamPath = uri }

        var query: FormArguments?
        if let method {
            context.upstreamMethod = method
            if transformation.movesFormBodyToQuery, let body = context.requestBody,
                BodyKind(requestContentType: context.requestHeaders.first(name: "content-type")) == .form
            {
                var arguments = FormArguments(decoding: Substring(context.query ?? ""))
                RequestTransformation.mergeFormBody(FormArguments(decoding: Substring(String(buffer: body))), into: &arguments)
                query = arguments
            }
        }

        if let host = transformation.transformHeaders(&context.requestHeaders) { context.upstreamHost = host }

        if let body = context.requestBody,
            let kind = BodyKind(requestContentType: context.requestHeaders.first(name: "content-type")),
            let edited = transformation.transformBody(body, kind: kind)
        {
            context.replaceRequestBody(edited)
        }

        if transformation.editsQuery {
            var arguments = query ?? FormArguments(decoding: Substring(context.query ?? ""))
            transformation.transformQuery(&arguments)
            query = arguments
        }
        if let query {
            let encoded = query.encoded
            context.query = encoded.isEmpty ? nil : encoded
        }
        return .proceed
    }
}
