/// Finds the literal text every match of a path regex must start with, so that regex routes can
/// sit in the prefix trie next to plain ones: `/users/(?<id>\d+)$` can only match paths that
/// start with `/users/`, and is only tried for those.
///
/// Conservative by design: it stops at the first character that is not plainly literal, drops
/// the last literal when a quantifier follows it (`/users?` → `/user`), and gives up (returns
/// "") when the pattern has a top-level alternation. A too-short prefix only costs speed; a
/// wrong one would lose matches.
enum RegexLiteralPrefix {
    static func of(_ pattern: String) -> String {
        if hasTopLevelAlternation(pattern) { return "" }
        var scalars = pattern.unicodeScalars[...]
        if scalars.first == "^" { scalars = scalars.dropFirst() }  // prefixMatch anchors anyway
        var literal = String.UnicodeScalarView()
        while let atom = nextLiteral(&scalars) {
            if let next = scalars.first, "*?+{".unicodeScalars.contains(next) { break }
            literal.append(atom)
        }
        return String(literal)
    }

    /// Consumes and returns the next literal character, or nil at the first non-literal one.
    private static func nextLiteral(_ scalars: inout Substring.UnicodeScalarView) -> Unicode.Scalar? {
        guard let first = scalars.first else { return nil }
        if isPlainLiteral(first) {
            scalars = scalars.dropFirst()
            return first
        }
        // An escaped ASCII punctuation character is that character (`\.`, `\/`, `\-`);
        // an escaped letter or digit is a class, an anchor or a back-reference.
        if first == "\\", let escaped = scalars.dropFirst().first, escaped.isASCII,
            !isAlphanumeric(escaped), escaped.value > 0x20
        {
            scalars = scalars.dropFirst(2)
            return escaped
        }
        return nil
    }

    private static func isPlainLiteral(_ scalar: Unicode.Scalar) -> Bool {
        isAlphanumeric(scalar) || "/-_~%,;:@=&!'\"<>#`".unicodeScalars.contains(scalar)
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return false
        }
    }

    /// Whether a `|` appears outside every group and character class.
    private static func hasTopLevelAlternation(_ pattern: String) -> Bool {
        var depth = 0
        var inClass = false
        var escaped = false
        for scalar in pattern.unicodeScalars {
            if escaped {
                escaped = false
                continue
            }
            switch scalar {
            case "\\": escaped = true
            case "[" where !inClass: inClass = true
            case "]" where inClass: inClass = false
            case "(" where !inClass: depth += 1
            case ")" where !inClass: depth = max(0, depth - 1)
            case "|" where !inClass && depth == 0: return true
            default: break
            }
        }
        return false
    }
}
