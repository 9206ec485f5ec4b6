/// Decodes `Decodable` types from a ``ConfigNode`` tree, collecting every problem instead of
/// stopping at the first.
///
/// - A value of the wrong type is reported (`expected an integer, found "abc"`) at the value's
///   mark; `decodeIfPresent` then returns `nil`, so the type's default applies.
/// - A missing field read with `decode` is reported at the parent mapping's mark.
/// - Keys that the decoded type never asked for are reported as `unknown field "x"`, with a
///   "did you mean" among the keys it did ask for. A type that reads every key (a dictionary)
///   or that failed part-way is not checked for unknown keys.
/// - A type may throw ``InvalidConfigValue`` from `init(from:)`; its message is reported at
///   the node being decoded.
///
/// Plugins decode their `config:` block with it:
/// ```swift
/// let config = ConfigDecoder.decode(RateLimitingConfig.self, from: node, at: path, into: &diagnostics)
/// ```
public enum ConfigDecoder {
    /// Decodes `type` from `node`, which sits at `path` in its document; every problem goes
    /// into `diagnostics`. Returns `nil` only when the value itself could not be built.
    public static func decode<T: Decodable>(
        _ type: T.Type,
        from node: ConfigNode,
        at path: ConfigPath = .root,
        into diagnostics: inout Diagnostics
    ) -> T? {
        let session = DecodingSession(diagnostics: diagnostics)
        let value = try? session.decode(type, node: node, path: path, codingPath: [])
        session.reportUnknownKeys()
        diagnostics = session.diagnostics
        return value
    }
}
