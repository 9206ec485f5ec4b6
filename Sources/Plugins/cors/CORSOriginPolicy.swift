/// Kong's rules for `Access-Control-Allow-Origin`, compiled once from `origins`. Pure.
///
/// - No origins, or only `*`: `*` for everyone, no `Vary`.
/// - Otherwise `Vary: Origin` always, and:
///   - one entry that looks like a plain origin (only letters, digits, `.`, `:`, `/`, `-`): that entry,
///     whatever the request's origin (the browser compares);
///   - else, for a request with an `Origin`: `*` if an entry is `*`; the request's origin normalised
///     (`http://a.test:80` → `http://a.test`) when it equals a plain entry, or matches a regex entry
///     (anchored at both ends; an entry without `:` is matched against the origin's host only);
///     nothing otherwise (an upstream's own header is removed too).
struct CORSOriginPolicy: Sendable {
    /// What to send for one request.
    struct Decision: Equatable {
        /// `Access-Control-Allow-Origin`, or nil to send none (and remove the upstream's).
        var allowOrigin: String?
        /// Whether every origin is allowed (`*`), which changes how credentials are answered.
        var allowsAll: Bool
        /// Whether `Vary: Origin` is sent.
        var varies: Bool
    }

    private enum Mode {
        case everyone
        case fixed(String)
        case list([Entry], hasWildcard: Bool)
    }

    private enum Entry {
        case exact(domain: String)
        case regex(OriginRegex, byHost: Bool)
    }

    private let mode: Mode

    /// Compiles the entries (each `*` or a valid regex, as the configuration guarantees).
    init(origins: [String]) throws {
        if origins.isEmpty || origins == ["*"] {
            mode = .everyone
        } else if origins.count == 1, let only = origins.first, !Self.looksLikeRegex(only) {
            mode = .fixed(only)
        } else {
            var entries: [Entry] = []
            for origin in origins where origin != "*" {
                if Self.looksLikeRegex(origin) {
                    entries.append(.regex(try OriginRegex(kongPattern: origin), byHost: !origin.contains(":")))
                } else {
                    entries.append(.exact(domain: NormalizedOrigin(origin).domain))
                }
            }
            mode = .list(entries, hasWildcard: origins.contains("*"))
        }
    }

    /// The decision for a request whose `Origin` is `requestOrigin` (nil or empty: none).
    func decide(requestOrigin: String?) -> Decision {
        switch mode {
        case .everyone:
            return Decision(allowOrigin: "*", allowsAll: true, varies: false)
        case .fixed(let origin):
            return Decision(allowOrigin: origin, allowsAll: false, varies: true)
        case .list(let entries, let hasWildcard):
            guard let requestOrigin, !requestOrigin.isEmpty else {
                return Decision(allowOrigin: nil, allowsAll: false, varies: true)
            }
            if hasWildcard { return Decision(allowOrigin: "*", allowsAll: true, varies: true) }
            let normalized = NormalizedOrigin(requestOrigin)
            for entry in entries {
                let found: Bool
                switch entry {
                case .exact(let domain): found = normalized.domain == domain
                case .regex(let regex, let byHost): found = regex.matches(byHost ? normalized.host : normalized.domain)
                }
                if found { return Decision(allowOrigin: normalized.domain, allowsAll: false, varies: true) }
            }
            return Decision(allowOrigin: nil, allowsAll: false, varies: true)
        }
    }

    /// Kong treats an entry with any character outside `[A-Za-z0-9.:/-]` as a regex.
    static func looksLikeRegex(_ origin: String) -> Bool {
        !origin.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || scalar == "." || scalar == ":" || scalar == "/" || scalar == "-")
        }
    }
}

/// An origin as Kong compares it: `scheme://host[:port]` with the default port dropped, or the text
/// itself when it has no `//` authority (then its host is the whole text).
struct NormalizedOrigin: Equatable {
    var domain: String
    var host: String

    init(domain: String, host: String) {
        self.domain = domain
        self.host = host
    }

    init(_ text: String) {
        var rest = Substring(text)
        var scheme: Substring?
        if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isASCII, first.isLetter || first.isNumber,
            rest[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
        {
            scheme = rest[..<colon]
            rest = rest[rest.index(after: colon)...]
        }
        guard rest.hasPrefix("//") else {
            domain = text
            host = text
            return
        }
        rest = rest.dropFirst(2)
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var port: Substring?
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            let digits = authority[authority.index(after: colon)...]
            port = digits.isEmpty ? nil : digits
            authority = authority[..<colon]
        }
        if let port, (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
            domain = (scheme.map { "\($0)://" } ?? "") + authority
        } else {
            domain = (scheme.map { "\($0)://" } ?? "") + authority + (port.map { ":\($0)" } ?? "")
        }
        host = String(authority)
    }
}

/// A Kong origin regex: anchored at the start, and at the end unless it already ends with `$`
/// (a leading `^` is dropped, as Kong does). Compiled once; read-only afterwards.
final class OriginRegex: @unchecked Sendable {
    // `Regex` is not `Sendable` (it lowers its program lazily into a class); this box is immutable
    // after `init`, which lowers the program with a first match, as the gateway's route regexes do.
    private let regex: Regex<AnyRegexOutput>

    init(kongPattern: String) throws {
        var pattern = kongPattern
        if !pattern.hasSuffix("$") { pattern += "$" }
        if pattern.hasPrefix("^") { pattern.removeFirst() }
        regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
        _ = try? regex.prefixMatch(in: "")
    }

    func matches(_ text: String) -> Bool {
        (try? regex.prefixMatch(in: text)) != nil
    }
}
