/// Why a request path could not be normalised. The proxy answers all of them with 400.
public enum PathNormalizationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path is empty.
    case empty
    /// The path does not start with "/" (`*` and absolute-form targets are handled by the caller).
    case notAbsolute
    /// A "%" not followed by two hexadecimal digits, at this UTF-8 offset.
    case invalidPercentEncoding(offset: Int)
    /// A control character, space or DEL, at this UTF-8 offset.
    case invalidCharacter(offset: Int)

    public var description: String {
        switch self {
        case .empty: "empty path"
        case .notAbsolute: "path must start with \"/\""
        case .invalidPercentEncoding(let offset): "invalid percent-encoding at offset \(offset)"
        case .invalidCharacter(let offset): "invalid character at offset \(offset)"
        }
    }
}
