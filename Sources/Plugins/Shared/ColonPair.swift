import Gateway

/// One `name:value` entry of a transformer plugin's configuration, split as Kong splits it: the
/// name runs to the first colon, further colons right after it are skipped, the rest is the value
/// (`"x-a:b:c"` → `x-a`, `b:c`; `"x-a:"` → `x-a`, empty value).
public struct ColonPair: Sendable, Hashable, Decodable {
    /// The part before the first colon (never empty).
    public var name: String
    /// The part after the colons (possibly empty).
    public var value: String

    /// Splits `text`; nil when it has no colon or nothing before it.
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return nil }
        name = String(text[..<colon])
        value = String(text[colon...].drop { $0 == ":" })
    }

    /// Creates a pair.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Reads `"name:value"`, reporting Kong's format error otherwise.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let pair = ColonPair(text) else {
            throw InvalidConfigValue("invalid value: \(text) (expected \"name:value\")")
        }
        self = pair
    }
}
