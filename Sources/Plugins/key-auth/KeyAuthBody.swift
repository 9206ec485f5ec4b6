import NIOCore

/// The request body as key-auth's `key_in_body` reads it: Kong's `kong.request.get_body()`, which
/// decodes form-urlencoded, JSON and multipart bodies by their `Content-Type`. Anything else (no
/// body, another type, a body that does not decode) is Kong's empty table: no key in it.
enum KeyAuthBody {
    /// Nothing to search.
    case empty
    /// `application/x-www-form-urlencoded`.
    case form(FormArguments)
    /// `application/json` (an object or an array, Lua's tables).
    case json(JSONValue)
    /// `multipart/form-data`.
    case multipart(MultipartFormData)

    /// What a body holds under one name, in Lua's types.
    enum Lookup: Equatable {
        /// Nothing (`nil`).
        case absent
        /// A string: the key.
        case string(String)
        /// Several values, an array or an object (a table): Kong's "Duplicate API key found".
        case table
        /// A number, a boolean, `null`, a bare form name: not a key, and the search goes on.
        case other
    }

    /// Decodes `body` as its `contentType` says.
    init(_ body: ByteBuffer?, contentType: String?) {
        guard let body, let kind = BodyKind(bodyContentType: contentType) else {
            self = .empty
            return
        }
        switch kind {
        case .form:
            self = .form(FormArguments(decoding: Substring(String(buffer: body))))
        case .json:
            switch JSONValue.parse(body.readableBytesView) {
            case let value? where value.objectValue != nil: self = .json(value)
            case .array?: self = .json(.array([]))  // a table, but none of its entries has a name
            default: self = .empty
            }
        case .multipart:
            let parts = contentType.flatMap { MultipartFormData(Array(body.readableBytesView), contentType: $0) }
            self = parts.map(KeyAuthBody.multipart) ?? .empty
        }
    }

    /// The value under `name`.
    func lookup(_ name: String) -> Lookup {
        switch self {
        case .empty:
            return .absent
        case .form(let arguments):
            switch arguments[name] {
            case nil: return .absent
            case .flag?: return .other
            case .values(let values)?: return values.count > 1 ? .table : values.first.map(Lookup.string) ?? .absent
            }
        case .json(let value):
            switch value.objectValue?[name] {
            case nil: return .absent
            case .string(let key)?: return .string(key)
            case .array?, .object?: return .table
            default: return .other
            }
        case .multipart(let form):
            let values = form.values(named: name)
            return values.count > 1 ? .table : values.first.map(Lookup.string) ?? .absent
        }
    }

    /// `body` without `name` (Kong's `hide_credentials`), or nil when it has no such field. Other
    /// fields keep their bytes (form pairs and multipart parts) or their order and text (JSON).
    func removing(_ name: String, from body: ByteBuffer) -> ByteBuffer? {
        guard lookup(name) != .absent else { return nil }
        switch self {
        case .empty:
            return nil
        case .form:
            return ByteBuffer(string: FormArguments.removing(name, from: Substring(String(buffer: body))) ?? "")
        case .json(let value):
            guard case .object(var object) = value else { return nil }
            object[name] = nil
            var output = ByteBuffer()
            JSONValue.object(object).write(into: &output)
            return output
        case .multipart(let form):
            return ByteBuffer(bytes: form.removing(name))
        }
    }
}
