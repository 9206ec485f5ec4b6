/// A string enum read from configuration with a helpful error: its `init(from:)` reports
/// `expected one of "a", "b", found "x"; did you mean "a"?` at the value.
///
/// ```swift
/// enum Policy: String, ConfigEnum { case local, cluster, redis }
/// ```
public protocol ConfigEnum: RawRepresentable, CaseIterable, Decodable, Sendable, Hashable
where RawValue == String {}

extension ConfigEnum {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw InvalidConfigValue(Self.invalidValueMessage(text))
        }
        self = value
    }

    /// The allowed values, quoted and comma-separated, for messages.
    public static var allowedValuesDescription: String {
        allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
    }

    /// `expected one of ..., found "text"` with a suggestion when one is close.
    public static func invalidValueMessage(_ text: String) -> String {
        var message = "expected one of \(allowedValuesDescription), found \(ConfigScalar(text).quotedForMessage)"
        if let suggestion = Suggestion.closest(to: text, among: allCases.map(\.rawValue)) {
            message += "; did you mean \"\(suggestion)\"?"
        }
        return message
    }
}
