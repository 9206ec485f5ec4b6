/// Thrown from a `Decodable` type's `init(from:)` to report a bad value in its own words; the
/// ``ConfigDecoder`` records `message` at the node being decoded and carries on.
public struct InvalidConfigValue: Error, Sendable, Hashable {
    /// One line saying what is wrong, e.g. `invalid duration "10x"`.
    public var message: String

    /// Creates the error.
    public init(_ message: String) {
        self.message = message
    }
}
