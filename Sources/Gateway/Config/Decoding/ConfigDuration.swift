/// A duration written as `500ms`, `10s`, `2m`, `1h` or a combination (`1m30s`); a bare
/// integer counts as seconds, as in nginx. Used by the `pasarela:` block (Kong's own
/// timeouts are integers in milliseconds).
public struct ConfigDuration: Sendable, Hashable, Comparable, Decodable, CustomStringConvertible {
    /// The length in milliseconds.
    public var milliseconds: Int64

    /// Creates a duration of `milliseconds`.
    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// Creates a duration of whole `seconds`.
    public static func seconds(_ seconds: Int64) -> ConfigDuration {
        ConfigDuration(milliseconds: seconds * 1000)
    }

    /// The length as a Swift `Duration`.
    public var duration: Duration { .milliseconds(milliseconds) }

    /// Parses `text`, or returns `nil` when it is not a duration.
    public init?(parsing text: String) {
        if let seconds = Int64(text), seconds >= 0 {
            self.milliseconds = seconds * 1000
            return
        }
        var total: Int64 = 0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let amount = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let scale = Self.units[String(unit)] else { return nil }
            let (product, overflow) = amount.multipliedReportingOverflow(by: scale)
            guard !overflow else { return nil }
            total += product
        }
        self.milliseconds = total
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = ConfigDuration(parsing: text) else {
            throw InvalidConfigValue(
                "invalid duration \(ConfigScalar(text).quotedForMessage); expected e.g. 500ms, 10s, 2m or 1h"
            )
        }
        self = parsed
    }

    public static func < (lhs: ConfigDuration, rhs: ConfigDuration) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// The shortest exact spelling: `500ms`, `10s`, `2m`, `1h`.
    public var description: String {
        for (unit, scale) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000)]
        where milliseconds != 0 && milliseconds % scale == 0 {
            return "\(milliseconds / scale)\(unit)"
        }
        return "\(milliseconds)ms"
    }

    private static let units: [String: Int64] = ["ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000]
}
