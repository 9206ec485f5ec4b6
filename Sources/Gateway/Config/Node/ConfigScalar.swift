import Foundation

/// A scalar as written in the file: its text, how it was quoted, and its explicit tag if any.
///
/// The text is kept verbatim so that `"3.0"` stays the string `3.0`; ``resolved`` applies the
/// YAML 1.2 core schema only to plain, untagged scalars.
public struct ConfigScalar: Sendable, Hashable {
    /// How the scalar was written.
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// The scalar's text, after escapes and folding.
    public var text: String
    /// How the scalar was written.
    public var style: Style
    /// The explicit tag (`!!str` is `tag:yaml.org,2002:str`), or `nil` when none was written.
    public var tag: String?

    /// Creates a scalar.
    public init(_ text: String, style: Style = .plain, tag: String? = nil) {
        self.text = text
        self.style = style
        self.tag = tag
    }

    /// The text in double quotes for messages, shortened when long.
    public var quotedForMessage: String {
        var shown = text.count > 60 ? String(text.prefix(57)) + "..." : text
        shown = shown.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(shown)\""
    }
}
