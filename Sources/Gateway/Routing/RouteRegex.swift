/// A regex compiled once when the route table is built, shared read-only by every event loop.
///
/// `Regex` is not `Sendable` (it keeps a lazily lowered program in a class). Sharing it is safe
/// here: the box is immutable after `init`, the program is lowered in `init` (a warm-up match),
/// and the standard library publishes that lazy state atomically anyway. Matching allocates only
/// the match result.
final class RouteRegex: @unchecked Sendable {
    /// The pattern as written (without Kong's `~` or `~*` marker).
    let pattern: String
    let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern` with PCRE-like semantics: Unicode scalars rather than grapheme
    /// clusters, and ASCII-only `\d`, `\w`, `\s` (so `\d+` does not accept Arabic digits).
    init(_ pattern: String, ignoringCase: Bool = false) throws {
        self.pattern = pattern
        let compiled = try Regex(pattern)
            .matchingSemantics(.unicodeScalar)
            .asciiOnlyCharacterClasses()
        self.regex = ignoringCase ? compiled.ignoresCase() : compiled
        _ = try? regex.firstMatch(in: "")
    }

    /// The match anchored at the start of `text` (not at its end), or nil.
    @inline(__always)
    func prefixMatch(in text: String) -> Regex<AnyRegexOutput>.Match? {
        // Throws only for cancellation or custom components, which these regexes have none of.
        try? regex.prefixMatch(in: text)
    }

    /// Whether the regex matches anywhere in `text`.
    @inline(__always)
    func isFound(in text: Substring) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}
