/// A size in bytes, written as an integer or with an nginx-style suffix: `32k`, `8m`, `1g`
/// (powers of 1024, either case).
public struct ConfigByteSize: Sendable, Hashable, Comparable, Decodable, CustomStringConvertible {
    /// The size in bytes.
    public var bytes: Int

    /// Creates a size of `bytes`.
    public init(bytes: Int) {
        self.bytes = bytes
    }

    /// Parses `text`, or returns `nil` when it is not a size.
    public init?(parsing text: String) {
        var digits = Substring(text)
        var scale = 1
        if let last = digits.last, let unit = Self.units[Character(last.lowercased())] {
            scale = unit
            digits = digits.dropLast()
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let amount = Int(digits) else { return nil }
        let (product, overflow) = amount.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        self.bytes = product
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = ConfigByteSize(parsing: text) else {
            throw InvalidConfigValue(
                "invalid size \(ConfigScalar(text).quotedForMessage); expected bytes, e.g. 32768, 32k or 8m"
            )
        }
        self = parsed
    }

    public static func < (lhs: ConfigByteSize, rhs: ConfigByteSize) -> Bool {
        lhs.bytes < rhs.bytes
    }

    /// The size in bytes, as a number.
    public var description: String { "\(bytes)" }

    private static let units: [Character: Int] = ["k": 1024, "m": 1024 * 1024, "g": 1024 * 1024 * 1024]
}
