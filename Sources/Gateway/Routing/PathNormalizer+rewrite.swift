extension PathNormalizer {
    /// Rewrites an already validated path (starts with "/", escapes well formed) into normal form.
    ///
    /// One pass, segment by segment, straight into the new string's storage: each segment is
    /// copied with its escapes normalised, then dropped again if it turns out to be empty, `.` or
    /// `..` (which also drops the segment before it). The result is never longer than the input.
    static func rewrite(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { out in
            var written = 0
            var index = 0
            let count = bytes.count
            // Invariant: `bytes[index]` is the "/" that opens the next segment, and the output
            // is a run of "/segment" pieces (so it never ends with "/") until the last segment.
            while index < count {
                let segmentStart = written
                out[written] = ASCII.slash
                written += 1
                index += 1
                while index < count && bytes[index] != ASCII.slash {
                    let byte = bytes[index]
                    if byte == ASCII.percent {
                        written = copyEscape(from: bytes, at: index, into: out, at: written)
                        index += 3
                    } else {
                        out[written] = byte
                        written += 1
                        index += 1
                    }
                }
                let isLast = index == count
                switch segmentKind(out, from: segmentStart + 1, to: written) {
                case .empty:
                    // "//" collapses; a trailing "/" stays.
                    if !isLast { written = segmentStart }
                case .dot:
                    written = segmentStart
                    if isLast { written = appendSlash(out, at: written) }
                case .dotDot:
                    written = segmentStart
                    while written > 0 {
                        written -= 1
                        if out[written] == ASCII.slash { break }
                    }
                    if isLast { written = appendSlash(out, at: written) }
                case .other:
                    break
                }
            }
            if written == 0 { written = appendSlash(out, at: 0) }
            return written
        }
    }

    private enum SegmentKind { case empty, dot, dotDot, other }

    @inline(__always)
    private static func segmentKind(_ out: UnsafeMutableBufferPointer<UInt8>, from start: Int, to end: Int) -> SegmentKind {
        switch end - start {
        case 0: return .empty
        case 1: return out[start] == ASCII.dot ? .dot : .other
        case 2: return out[start] == ASCII.dot && out[start + 1] == ASCII.dot ? .dotDot : .other
        default: return .other
        }
    }

    @inline(__always)
    private static func appendSlash(_ out: UnsafeMutableBufferPointer<UInt8>, at index: Int) -> Int {
        out[index] = ASCII.slash
        return index + 1
    }

    /// Copies the escape at `index`: decoded when it stands for an unreserved character, else
    /// with upper-case hex digits. Returns the new write position.
    @inline(__always)
    private static func copyEscape(
        from bytes: UnsafeBufferPointer<UInt8>,
        at index: Int,
        into out: UnsafeMutableBufferPointer<UInt8>,
        at position: Int
    ) -> Int {
        let highDigit = bytes[index + 1]
        let lowDigit = bytes[index + 2]
        // Validated by `scan`; the fallbacks are never taken.
        let decoded = (ASCII.hexValue(highDigit) ?? 0) << 4 | (ASCII.hexValue(lowDigit) ?? 0)
        if ASCII.isUnreserved(decoded) {
            out[position] = decoded
            return position + 1
        }
        out[position] = ASCII.percent
        out[position + 1] = ASCII.upper(highDigit)
        out[position + 2] = ASCII.upper(lowDigit)
        return position + 3
    }
}
