/// A JSON value as the plugins read and edit it: objects keep their members' order and numbers keep
/// their text, so a body passes through unchanged except where a plugin edits it, and a token's
/// `"sub": 12345` is forwarded as `12345`. Parsed by ``parse(_:maxDepth:)`` (strict RFC 8259),
/// written by ``jsonText`` and ``write(into:)``.
public enum JSONValue: Sendable, Hashable {
    /// `null`
    case null
    /// `true` / `false`
    case bool(Bool)
    /// A number, as written (e.g. `12.50` stays `12.50`).
    case number(String)
    /// A string (unescaped).
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in document order.
    case object(JSONObject)

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number's value, when this is a number.
    public var doubleValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// The members, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// Lua's truthiness of the value Kong's cjson would give: only a missing member and `false`
    /// are false (`null` decodes to a truthy sentinel). Kong's "only if present" checks use it.
    public var isTruthy: Bool {
        if case .bool(false) = self { return false }
        return true
    }
}
