import Gateway
import NIOCore
import NIOHTTP1

/// Kong's `request-transformer`: edits the request before it goes upstream, in Kong's order:
/// `replace.uri`, `http_method`, headers, body, querystring; within each, remove → rename →
/// replace → add → append.
///
/// Bodies: `application/json` (objects) and `application/x-www-form-urlencoded` are edited; the
/// plugin then holds the whole body (up to ``maxBufferedBodyBytes``; larger bodies get 413).
/// Templates: the lookups of Kong's `$(...)` (see ``TransformerTemplate``), rendered against the
/// request as it arrived at this plugin. Not supported, unlike Kong: other Lua in templates (refused
/// at load), multipart bodies (sent unchanged). Query arguments keep their order.
public struct RequestTransformerPlugin: ConfigurablePlugin {
    public static let name = "request-transformer"
    public static let priority = 801

    /// The largest body held for editing.
    public static let maxBufferedBodyBytes = 8 * 1024 * 1024

    let transformation: RequestTransformation
    let method: HTTPMethod?
    /// Compiled templates by their text (empty for the common, literal configuration).
    let templates: [String: TransformerTemplate]

    public init(configuration: RequestTransformerConfig, context: PluginBuildContext) throws {
        transformation = RequestTransformation(config: configuration)
        method = configuration.httpMethod.map { HTTPMethod(rawValue: $0) }
        var templates: [String: TransformerTemplate] = [:]
        for (_, value) in configuration.templatedValues {
            do {
                templates[value] = try TransformerTemplate(value)
            } catch {
                throw InvalidConfigValue(error.message)
            }
        }
        self.templates = templates
    }

    /// The edits for this request: the configured ones, with templates rendered when there are any.
    func transformation(for context: RequestContext) -> RequestTransformation {
        guard !templates.isEmpty else { return transformation }
        let headers = context.requestHeaders
        let query = FormArguments(decoding: Substring(context.query ?? ""))
        let captures = context.captures
        return RequestTransformation(
            config: transformation.config.rendering { value in
                templates[value]?.render(headers: headers, query: query, captures: captures) ?? value
            }
        )
    }

    public func requestBodyBufferLimit(_ context: RequestContext) -> Int? {
        let kind = BodyKind(requestContentType: context.requestHeaders.first(name: "content-type"))
        let needed =
            (transformation.editsBody && (kind == .json || kind == .form))
            || (transformation.movesFormBodyToQuery && kind == .form)
        return needed ? Self.maxBufferedBodyBytes : nil
    }

    public func access(_ context: RequestContext) -> AccessStep {
        let transformation = transformation(for: context)
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
