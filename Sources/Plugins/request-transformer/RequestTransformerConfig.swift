import Gateway

/// Kong's `request-transformer` configuration: what to remove, rename, replace, add and append in
/// the headers, querystring and body (form-urlencoded or JSON) of the request sent upstream, and
/// optionally its method and path.
///
/// Values may use the lookups of Kong's `$(...)` templates (`headers`, `query_params`,
/// `uri_captures`, with `or 'default'`; see ``TransformerTemplate``); other Lua expressions are
/// refused when the file loads rather than sent as text.
public struct RequestTransformerConfig: PluginConfiguration, Equatable {
    /// `remove`: names only.
    public struct Removals: Decodable, Sendable, Equatable {
        /// Body parameters to remove.
        public var body: [String] = []
        /// Headers to remove.
        public var headers: [HeaderNameEntry] = []
        /// Query arguments to remove.
        public var querystring: [String] = []

        enum CodingKeys: String, CodingKey { case body, headers, querystring }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            body = try container.value(.body, or: [])
            headers = try container.value(.headers, or: [])
            querystring = try container.value(.querystring, or: [])
        }
    }

    /// `rename`: `old:new` pairs.
    public struct Renames: Decodable, Sendable, Equatable {
        /// Body parameters to rename.
        public var body: [ValuePair] = []
        /// Headers to rename.
        public var headers: [HeaderRename] = []
        /// Query arguments to rename.
        public var querystring: [ValuePair] = []

        enum CodingKeys: String, CodingKey { case body, headers, querystring }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            body = try container.value(.body, or: [])
            headers = try container.value(.headers, or: [])
            querystring = try container.value(.querystring, or: [])
        }
    }

    /// `replace`, `add`, `append`: `name:value` pairs (`replace` also takes `uri`).
    public struct Assignments: Decodable, Sendable, Equatable {
        /// Body parameters.
        public var body: [ValuePair] = []
        /// Headers.
        public var headers: [HeaderPair] = []
        /// Query arguments.
        public var querystring: [ValuePair] = []
        /// `replace.uri` only: the upstream path.
        public var uri: String?

        enum CodingKeys: String, CodingKey { case body, headers, querystring, uri }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            body = try container.value(.body, or: [])
            headers = try container.value(.headers, or: [])
            querystring = try container.value(.querystring, or: [])
            if container.contains(.uri) {
                // Only `replace` has `uri` in Kong's schema; decoding it elsewhere would hide a typo.
                uri = try container.optional(.uri)
            }
        }
    }

    /// The method sent upstream (upper-case letters), or nil to keep the client's.
    public var httpMethod: String?
    /// Removed first.
    public var remove = Removals()
    /// Then renamed.
    public var rename = Renames()
    /// Then replaced (only where present).
    public var replace = Assignments()
    /// Then added (only where absent).
    public var add = Assignments()
    /// Then appended.
    public var append = Assignments()

    enum CodingKeys: String, CodingKey {
        case httpMethod = "http_method"
        case remove, rename, replace, add, append
    }

    /// Nothing to do.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        httpMethod = try container.optional(.httpMethod)
        remove = try container.value(.remove, or: remove)
        rename = try container.value(.rename, or: rename)
        replace = try container.value(.replace, or: replace)
        add = try container.value(.add, or: add)
        append = try container.value(.append, or: append)
    }

    public func validate(_ validator: inout PluginConfigValidator) {
        if let httpMethod, httpMethod.isEmpty || !httpMethod.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) {
            validator.error("invalid value: \(httpMethod)", field: "http_method")
        }
        if add.uri != nil { validator.error("unknown field", field: "add.uri") }
        if append.uri != nil { validator.error("unknown field", field: "append.uri") }
        for (field, values) in [
            ("rename.body", rename.body.map(\.pair.value)), ("rename.querystring", rename.querystring.map(\.pair.value)),
        ] {
            for value in values where TransformerTemplate.isTemplate(value) {
                validator.error("templates are not supported in rename: \"\(value)\"", field: field)
            }
        }
        for (field, value) in templatedValues {
            do {
                _ = try TransformerTemplate(value)
            } catch {
                validator.error(error.message, field: field)
            }
        }
    }

    /// Every replace/add/append value (and `replace.uri`) that contains a template, with its field.
    var templatedValues: [(field: String, value: String)] {
        var values: [(String, String)] = []
        for (name, assignments) in [("replace", replace), ("add", add), ("append", append)] {
            for (part, entries) in [
                ("body", assignments.body.map(\.pair.value)), ("headers", assignments.headers.map(\.pair.value)),
                ("querystring", assignments.querystring.map(\.pair.value)),
            ] {
                values += entries.filter(TransformerTemplate.isTemplate).map { ("\(name).\(part)", $0) }
            }
        }
        if let uri = replace.uri, TransformerTemplate.isTemplate(uri) { values.append(("replace.uri", uri)) }
        return values
    }

    /// The configuration with every templated value replaced by `render(value)`.
    func rendering(_ render: (String) -> String) -> RequestTransformerConfig {
        var copy = self
        for keyPath in [\RequestTransformerConfig.replace, \.add, \.append] {
            copy[keyPath: keyPath].body = copy[keyPath: keyPath].body.map { ValuePair(pair: $0.pair.rendering(render)) }
            copy[keyPath: keyPath].headers = copy[keyPath: keyPath].headers.map { HeaderPair(pair: $0.pair.rendering(render)) }
            copy[keyPath: keyPath].querystring = copy[keyPath: keyPath].querystring.map {
                ValuePair(pair: $0.pair.rendering(render))
            }
        }
        copy.replace.uri = replace.uri.map(render)
        return copy
    }
}

extension ColonPair {
    fileprivate func rendering(_ render: (String) -> String) -> ColonPair {
        TransformerTemplate.isTemplate(value) ? ColonPair(name: name, value: render(value)) : self
    }
}
