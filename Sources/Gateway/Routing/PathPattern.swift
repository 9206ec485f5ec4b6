/// One entry of a route's `paths`, compiled.
enum PathPattern: Sendable {
    /// A plain path: a string prefix of the normalised request path.
    case prefix(String)
    /// A `~` path: a regex anchored at the start of the path.
    case regex(RouteRegex)

    /// Compiles one path, or explains (in Kong's words) why it is not valid.
    static func compile(_ raw: String) throws(InvalidRouteValue) -> PathPattern {
        if raw.hasPrefix("~") {
            let pattern = String(raw.dropFirst())
            guard !pattern.isEmpty else { throw InvalidRouteValue("invalid regex: '' (empty pattern)") }
            do {
                return .regex(try RouteRegex(pattern))
            } catch {
                throw InvalidRouteValue("invalid regex: '\(pattern)' (\(error))")
            }
        }
        guard raw.hasPrefix("/") else { throw InvalidRouteValue("should start with: / (fixed path) or ~/ (regex path)") }
        if raw.utf8.contains(where: { !isAllowedInPath($0) }) {
            throw InvalidRouteValue(
                "invalid path: '\(raw)' (characters outside of the reserved list of RFC 3986 found)"
            )
        }
        let normalized: String
        do {
            normalized = try PathNormalizer.normalize(raw)
        } catch {
            throw InvalidRouteValue("invalid url-encoded value in '\(raw)' (\(error))")
        }
        guard normalized == raw else {
            throw InvalidRouteValue("non-normalized path, consider use '\(normalized)' instead")
        }
        return .prefix(raw)
    }

    /// The text that every matching path starts with: the prefix itself, or the regex's
    /// literal lead. This is the entry's key in the prefix trie.
    var triePrefix: String {
        switch self {
        case .prefix(let prefix): prefix
        case .regex(let regex): RegexLiteralPrefix.of(regex.pattern)
        }
    }

    var isRegex: Bool {
        if case .regex = self { return true }
        return false
    }

    /// Unreserved, sub-delims, ":", "@", "/" and "%" (RFC 3986), as Kong's route schema allows.
    private static func isAllowedInPath(_ byte: UInt8) -> Bool {
        ASCII.isUnreserved(byte) || "!$&'()*+,;=:@/%".utf8.contains(byte)
    }
}
