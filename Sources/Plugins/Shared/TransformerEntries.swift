import Gateway

/// Entries of the transformer plugins' lists, each checked as Kong's schemas check them, so a bad
/// entry is reported at its own line and index.

/// A `name:value` entry whose check is its type's ``check(_:)``; decoding is shared.
public protocol CheckedColonPair: Sendable, Hashable, Decodable {
    /// The split entry.
    var pair: ColonPair { get }
    /// An entry from an already split pair (not checked).
    init(pair: ColonPair)
    /// Splits and checks `text`, or says what is wrong with it.
    static func check(_ text: String) throws(InvalidConfigValue) -> ColonPair
}

extension CheckedColonPair {
    public init(from decoder: any Decoder) throws {
        self.init(pair: try Self.check(try decoder.singleValueContainer().decode(String.self)))
    }
}

/// `name:value` whose value must not be empty (Kong's body and querystring entries).
public struct ValuePair: CheckedColonPair {
    public var pair: ColonPair

    public init(pair: ColonPair) {
        self.pair = pair
    }

    public static func check(_ text: String) throws(InvalidConfigValue) -> ColonPair {
        guard let pair = ColonPair(text), !pair.value.isEmpty else {
            throw InvalidConfigValue("key '\(ColonPair(text)?.name ?? text)' has no value")
        }
        return pair
    }
}

/// `Header-Name:value` with a valid header name.
public struct HeaderPair: CheckedColonPair {
    public var pair: ColonPair

    public init(pair: ColonPair) {
        self.pair = pair
    }

    public static func check(_ text: String) throws(InvalidConfigValue) -> ColonPair {
        guard let pair = ColonPair(text) else { throw InvalidConfigValue("invalid value: \(text)") }
        guard HeaderName.isValid(pair.name) else { throw InvalidConfigValue("'\(pair.name)' is not a valid header") }
        return pair
    }
}

/// `Old-Name:New-Name`, both valid header names (Kong's `rename.headers`): `name` is the old name,
/// `value` the new one.
public struct HeaderRename: CheckedColonPair {
    public var pair: ColonPair

    public init(pair: ColonPair) {
        self.pair = pair
    }

    public static func check(_ text: String) throws(InvalidConfigValue) -> ColonPair {
        guard let pair = ColonPair(text) else { throw InvalidConfigValue("invalid value: \(text)") }
        for name in [pair.name, pair.value] where !HeaderName.isValid(name) {
            throw InvalidConfigValue("'\(name)' is not a valid header")
        }
        return pair
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
