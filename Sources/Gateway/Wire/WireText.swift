/// Comparisons and small scans on bytes in place (no Strings), shared by the head parsers.
enum WireText {
    /// Whether `bytes[range]` equals `lowercased` once its ASCII letters are folded to lower case.
    /// `lowercased` must be lower-case ASCII.
    @inline(__always)
    static func equalsLowercase(
        _ bytes: UnsafeRawBufferPointer,
        _ range: Range<Int>,
        _ lowercased: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard range.count == lowercased.count else { return false }
        var index = range.lowerBound
        for byte in lowercased {
            guard ASCII.lower(bytes[index]) == byte else { return false }
            index += 1
        }
        return true
    }

    /// Whether `bytes[range]` equals `lowercased` ignoring ASCII case (see above).
    @inline(__always)
    static func equalsLowercase(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ lowercased: StaticString)
        -> Bool
    {
        lowercased.withUTF8Buffer { equalsLowercase(bytes, range, $0) }
    }

    /// Whether `bytes[range]` is exactly `expected` (case-sensitive).
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ expected: StaticString) -> Bool {
        expected.withUTF8Buffer { expected in
            guard range.count == expected.count else { return false }
            var index = range.lowerBound
            for byte in expected {
                guard bytes[index] == byte else { return false }
                index += 1
            }
            return true
        }
    }

    /// `range` without leading and trailing SP/HTAB.
    @inline(__always)
    static func trimmingWhitespace(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, WireByte.isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, WireByte.isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Calls `body` with each element of the comma-separated list in `range` (RFC 9110 §5.6.1),
    /// trimmed of OWS; empty elements are skipped. Stops early when `body` returns false.
    @inline(__always)
    static func forEachListElement(
        _ bytes: UnsafeRawBufferPointer,
        _ range: Range<Int>,
        _ body: (Range<Int>) -> Bool
    ) {
        var start = range.lowerBound
        while start <= range.upperBound {
            var end = start
            while end < range.upperBound, bytes[end] != WireByte.comma { end += 1 }
            let element = trimmingWhitespace(bytes, start..<end)
            if !element.isEmpty, !body(element) { return }
            start = end + 1
        }
    }
}
