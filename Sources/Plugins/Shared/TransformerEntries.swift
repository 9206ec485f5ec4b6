import Gateway

/// Entries of the transformer plugins' lists, each checked as Kong's schemas check them, so a bad
/// entry is reported at its own line and index.

/// `name:value` whose value must not be empty (Kong's body and querystring entries).
public struct ValuePair: Sendable, Hashable, Decodable {
    /// The split entry.
    public var pair: ColonPair

    /// An entry from an already split pair (not checked).
    public init(pair: ColonPair) {
        self.pair = pair
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let pair = ColonPair(text), !pair.value.isEmpty else {
            let name = ColonPair(text)?.name ?? text
            throw InvalidConfigValue("key '\(name)' has no value")
        }
        self.pair = pair
    }
}

/// `Header-Name:value` with a valid header name.
public struct HeaderPair: Sendable, Hashable, Decodable {
    /// The split entry.
    public var pair: ColonPair

    /// An entry from an already split pair (not checked).
    public init(pair: ColonPair) {
        self.pair = pair
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let pair = ColonPair(text) else { throw InvalidConfigValue("invalid value: \(text)") }
        guard HeaderName.isValid(pair.name) else { throw InvalidConfigValue("'\(pair.name)' is not a valid header") }
        self.pair = pair
    }
}

/// `Old-Name:New-Name`, both valid header names (Kong's `rename.headers`).
public struct HeaderRename: Sendable, Hashable, Decodable {
    /// The split entry: `name` is the old name, `value` the new one.
    public var pair: ColonPair

    /// An entry from an already split pair (not checked).
    public init(pair: ColonPair) {
        self.pair = pair
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let pair = ColonPair(text) else { throw InvalidConfigValue("invalid value: \(text)") }
        for name in [pair.name, pair.value] where !HeaderName.isValid(name) {
            throw InvalidConfigValue("'\(name)' is not a valid header")
        }
        self.pair = pair
    }
}

/// A header name (Kong's request-transformer `remove.headers`).
public struct HeaderNameEntry: Sendable, Hashable, Decodable {
    /// The name.
    public var name: String

    /// An entry (not checked).
    public init(name: String) {
        self.name = name
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let name = ColonPair(text)?.name ?? text
        guard HeaderName.isValid(name) else { throw InvalidConfigValue("'\(name)' is not a valid header") }
        self.name = name
    }
}
