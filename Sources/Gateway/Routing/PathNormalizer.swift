/// Normalises request paths before routing, so that `/api/../admin` cannot reach a route that
/// `/admin` would not (RFC 3986 §6.2.2, plus Kong's merging of repeated slashes).
///
/// The rules, in the order they apply:
/// - percent-escapes of unreserved characters (ALPHA DIGIT `-` `.` `_` `~`) are decoded, the hex
///   digits of every other escape are upper-cased (`%2f` → `%2F`; an encoded slash stays encoded);
/// - repeated slashes collapse into one;
/// - `.` and `..` segments are removed (`remove_dot_segments`; `..` never climbs above the root),
///   and that includes the ones spelled `%2E`;
/// - a trailing slash is kept.
///
/// Invalid percent-encoding, control characters, space and DEL are errors. The input is the path
/// without its query. A path that needs none of this (the common case) is handed back as is,
/// without new storage.
public enum PathNormalizer {
    /// The normalised form of `path`, or why there is none.
    public static func normalize(_ path: String) throws(PathNormalizationError) -> String {
        switch scan(path.utf8) {
        case .unchanged: return path
        case .rewritten(let normalized): return normalized
        case .failed(let error): throw error
        }
    }

    /// The normalised form of `path`; the same slice when nothing changes.
    public static func normalize(_ path: Substring) throws(PathNormalizationError) -> Substring {
        switch scan(path.utf8) {
        case .unchanged: return path
        case .rewritten(let normalized): return Substring(normalized)
        case .failed(let error): throw error
        }
    }

    /// Whether `path` is valid and already in normal form.
    public static func isNormalized(_ path: String) -> Bool {
        if case .unchanged = scan(path.utf8) { return true }
        return false
    }

    enum Outcome {
        case unchanged
        case rewritten(String)
        case failed(PathNormalizationError)
    }

    static func scan<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Outcome {
        if let outcome = bytes.withContiguousStorageIfAvailable({ scan(buffer: $0) }) {
            return outcome
        }
        return Array(bytes).withUnsafeBufferPointer { scan(buffer: $0) }
    }

    /// Validates the bytes and finds out whether they need rewriting; rewrites them if so.
    static func scan(buffer bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        let count = bytes.count
        guard count > 0 else { return .failed(.empty) }
        guard bytes[0] == ASCII.slash else { return .failed(.notAbsolute) }
        var needsRewrite = false
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte == ASCII.percent {
                guard index + 2 < count,
                    let high = ASCII.hexValue(bytes[index + 1]),
                    let low = ASCII.hexValue(bytes[index + 2])
                else { return .failed(.invalidPercentEncoding(offset: index)) }
                // Rewritten when it decodes (unreserved) or has lower-case hex; `%2F`, `%20`
                // and the like are already normal.
                if ASCII.isUnreserved(high << 4 | low) || bytes[index + 1] >= 0x61 || bytes[index + 2] >= 0x61 {
                    needsRewrite = true
                }
                index += 3
                continue
            }
            if byte <= 0x20 || byte == 0x7F {
                return .failed(.invalidCharacter(offset: index))
            }
            if byte == ASCII.slash && !needsRewrite {
                needsRewrite = startsDotSegmentOrEmpty(bytes, after: index)
            }
            index += 1
        }
        return needsRewrite ? .rewritten(rewrite(bytes)) : .unchanged
    }

    /// Whether the segment after the slash at `slash` is empty (`//`), `.` or `..`.
    @inline(__always)
    private static func startsDotSegmentOrEmpty(_ bytes: UnsafeBufferPointer<UInt8>, after slash: Int) -> Bool {
        let count = bytes.count
        let next = slash + 1
        guard next < count else { return false }
        if bytes[next] == ASCII.slash { return true }
        guard bytes[next] == ASCII.dot else { return false }
        let afterDot = next + 1
        if afterDot == count || bytes[afterDot] == ASCII.slash { return true }
        guard bytes[afterDot] == ASCII.dot else { return false }
        let afterDots = afterDot + 1
        return afterDots == count || bytes[afterDots] == ASCII.slash
    }
}
