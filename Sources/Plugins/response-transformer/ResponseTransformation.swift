import NIOHTTP1

/// The response-transformer's edits as pure functions, in Kong's order: remove, rename, replace,
/// add, append.
struct ResponseTransformation: Sendable {
    let config: ResponseTransformerConfig

    /// Edits response headers. As in Kong, the "is it there?" checks of rename, replace and add look
    /// at the headers as they were before any edit.
    func transformHeaders(_ headers: inout HTTPHeaders) {
        let before = headers
        for name in config.remove.headers { headers.remove(name: name) }
        for entry in config.rename.headers where before.contains(name: entry.pair.name) {
            let values = before[entry.pair.name]
            headers.remove(name: entry.pair.value)
            for value in values { headers.add(name: entry.pair.value, value: value) }
            headers.remove(name: entry.pair.name)
        }
        for entry in config.replace.headers where !entry.value.isEmpty && before.contains(name: entry.name) {
            headers.replaceOrAdd(name: entry.name, value: entry.value)
        }
        for entry in config.add.headers where !entry.value.isEmpty && !before.contains(name: entry.name) {
            headers.replaceOrAdd(name: entry.name, value: entry.value)
        }
        for entry in config.append.headers where !entry.value.isEmpty {
            headers.add(name: entry.name, value: entry.value)
        }
    }

    /// The edited JSON object, or nil when the body is not a JSON object (left unchanged).
    func transformJSON(_ body: some Collection<UInt8>) -> JSONValue? {
        guard case .object(var object)? = JSONValue.parse(body) else { return nil }
        for name in config.remove.json { object[name] = nil }
        for entry in config.rename.json where !entry.value.isEmpty && object[entry.name] != nil {
            object.rename(entry.name, to: entry.value)
        }
        for (index, entry) in config.replace.json.enumerated() where object[entry.name]?.isTruthy ?? false {
            if let value = Self.value(entry.value, as: config.replace.type(at: index)) { object[entry.name] = value }
        }
        for (index, entry) in config.add.json.enumerated() where !(object[entry.name]?.isTruthy ?? false) {
            if let value = Self.value(entry.value, as: config.add.type(at: index)) { object[entry.name] = value }
        }
        for (index, entry) in config.append.json.enumerated() {
            guard let value = Self.value(entry.value, as: config.append.type(at: index)) else { continue }
            object[entry.name] = RequestTransformation.appending(value, to: object[entry.name])
        }
        return .object(object)
    }

    /// A configured value as its JSON type: a string; a number (nil when the text is not one, so
    /// the entry is skipped, as Kong's `tonumber` would); a boolean (`true` only for "true").
    static func value(_ text: String, as type: ResponseTransformerConfig.JSONType) -> JSONValue? {
        switch type {
        case .string:
            return .string(text)
        case .boolean:
            return .bool(text == "true")
        case .number:
            if case .number(let number)? = JSONValue.parse(text.utf8) { return .number(number) }
            if let double = Double(text), double.isFinite { return .number(String(double)) }
            return nil
        }
    }
}
