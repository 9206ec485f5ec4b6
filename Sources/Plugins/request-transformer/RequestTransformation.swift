import NIOCore
import NIOHTTP1

/// The request-transformer's edits as pure functions over headers, query and body, in Kong's order
/// for each part: remove, rename, replace, add, append.
struct RequestTransformation: Sendable {
    let config: RequestTransformerConfig

    /// Whether any body edit is configured.
    var editsBody: Bool {
        !(config.remove.body.isEmpty && config.rename.body.isEmpty && config.replace.body.isEmpty
            && config.add.body.isEmpty && config.append.body.isEmpty)
    }

    /// Whether any querystring edit is configured.
    var editsQuery: Bool {
        !(config.remove.querystring.isEmpty && config.rename.querystring.isEmpty && config.replace.querystring.isEmpty
            && config.add.querystring.isEmpty && config.append.querystring.isEmpty)
    }

    /// Whether `http_method` turns a form body into query arguments (Kong does so for GET, HEAD, TRACE).
    var movesFormBodyToQuery: Bool {
        ["GET", "HEAD", "TRACE"].contains(config.httpMethod ?? "")
    }

    // MARK: Headers

    /// Edits the upstream headers; returns the `Host` to send when `replace` set it.
    func transformHeaders(_ headers: inout HTTPHeaders) -> String? {
        var host: String?
        for entry in config.remove.headers where !isHost(entry.name) {
            headers.remove(name: entry.name)
        }
        for entry in config.rename.headers {
            let (old, new) = (entry.pair.name, entry.pair.value)
            guard !isHost(old), headers.contains(name: old) else { continue }
            let values = headers[old]
            headers.remove(name: old)
            headers.remove(name: new)
            for value in values { headers.add(name: new, value: value) }
        }
        for entry in config.replace.headers {
            if isHost(entry.pair.name) {
                host = entry.pair.value
            } else if headers.contains(name: entry.pair.name) {
                headers.replaceOrAdd(name: entry.pair.name, value: entry.pair.value)
            }
        }
        for entry in config.add.headers where !isHost(entry.pair.name) && !headers.contains(name: entry.pair.name) {
            headers.add(name: entry.pair.name, value: entry.pair.value)
        }
        for entry in config.append.headers where !isHost(entry.pair.name) {
            headers.add(name: entry.pair.name, value: entry.pair.value)
        }
        return host
    }

    private func isHost(_ name: String) -> Bool { name.lowercased() == "host" }

    // MARK: Querystring

    /// Edits the query arguments.
    func transformQuery(_ arguments: inout FormArguments) {
        for name in config.remove.querystring { arguments[name] = nil }
        for entry in config.rename.querystring { arguments.rename(entry.pair.name, to: entry.pair.value) }
        for entry in config.replace.querystring where arguments[entry.pair.name] != nil {
            arguments[entry.pair.name] = .values([entry.pair.value])
        }
        for entry in config.add.querystring where arguments[entry.pair.name] == nil {
            arguments[entry.pair.name] = .values([entry.pair.value])
        }
        for entry in config.append.querystring { arguments.append(entry.pair.name, value: entry.pair.value) }
    }

    /// Adds a form body's arguments to the query (for `http_method` GET, HEAD or TRACE).
    static func mergeFormBody(_ body: FormArguments, into query: inout FormArguments) {
        for entry in body.entries {
            switch entry.value {
            case .flag where query[entry.name] == nil: query[entry.name] = .flag
            case .flag: break
            case .values(let values): for value in values { query.append(entry.name, value: value) }
            }
        }
    }

    // MARK: Body

    /// The edited body, or nil when it is left as it is (nothing configured, a format not edited, or
    /// a JSON body that does not parse or is not an object).
    func transformBody(_ body: ByteBuffer, kind: BodyKind) -> ByteBuffer? {
        guard editsBody else { return nil }
        switch kind {
        case .json: return transformJSON(body)
        case .form: return transformForm(body)
        case .multipart: return nil
        }
    }

    private func transformJSON(_ body: ByteBuffer) -> ByteBuffer? {
        let hasBody = body.readableBytes > 0
        var object = JSONObject()
        if hasBody {
            guard case .object(let parsed)? = JSONValue.parse(body.readableBytesView) else { return nil }
            object = parsed
        }
        var changed = false
        if hasBody {
            for name in config.remove.body {
                object[name] = nil
                changed = true
            }
            for entry in config.rename.body where object[entry.pair.name]?.isTruthy ?? false {
                object.rename(entry.pair.name, to: entry.pair.value)
                changed = true
            }
            for entry in config.replace.body where object[entry.pair.name]?.isTruthy ?? false {
                object[entry.pair.name] = .string(entry.pair.value)
                changed = true
            }
        }
        for entry in config.add.body where !(object[entry.pair.name]?.isTruthy ?? false) {
            object[entry.pair.name] = .string(entry.pair.value)
            changed = true
        }
        for entry in config.append.body {
            object[entry.pair.name] = Self.appending(.string(entry.pair.value), to: object[entry.pair.name])
            changed = true
        }
        guard changed else { return nil }
        var output = ByteBuffer()
        JSONValue.object(object).write(into: &output)
        return output
    }

    /// Kong's `append_value`: a string becomes a list of two, a list grows, anything else is replaced
    /// by a list of the new value.
    static func appending(_ value: JSONValue, to current: JSONValue?) -> JSONValue {
        switch current {
        case .string(let existing)?: return .array([.string(existing), value])
        case .array(let elements)?: return .array(elements + [value])
        default: return .array([value])
        }
    }

    private func transformForm(_ body: ByteBuffer) -> ByteBuffer? {
        let hasBody = body.readableBytes > 0
        var arguments = FormArguments(decoding: Substring(String(buffer: body)))
        var changed = false
        if hasBody {
            for name in config.remove.body {
                arguments[name] = nil
                changed = true
            }
            for entry in config.rename.body where arguments.rename(entry.pair.name, to: entry.pair.value) {
                changed = true
            }
            for entry in config.replace.body where arguments[entry.pair.name] != nil {
                arguments[entry.pair.name] = .values([entry.pair.value])
                changed = true
            }
        }
        for entry in config.add.body where arguments[entry.pair.name] == nil {
            arguments[entry.pair.name] = .values([entry.pair.value])
            changed = true
        }
        for entry in config.append.body {
            arguments.append(entry.pair.name, value: entry.pair.value)
            changed = true
        }
        return changed ? ByteBuffer(string: arguments.encoded) : nil
    }
}
