/// Finds the lines of a head one at a time in a buffer that grows between calls, resuming where
/// the previous call stopped so a head arriving in many small reads is scanned once.
///
/// Every line must end in CRLF (RFC 9112 §2.2: a bare LF is refused). Offsets are from the start of
/// the bytes the caller passes, which must begin with the same bytes on every call.
struct HeadLineScanner {
    /// What the next line is, or why there is none yet.
    enum Step: Equatable {
        /// A complete line: its bytes without the CRLF.
        case line(Range<Int>)
        /// No LF yet, and more bytes could still end the line within the limit.
        case needMore
        /// No LF before `limit`: the line (or the head) is too long.
        case limitReached
        /// The line ends in LF without CR.
        case bareLF
    }

    /// Where the line being looked for starts (just after the previous line's LF).
    private(set) var lineStart = 0
    /// Bytes from `lineStart` up to here are known to hold no LF.
    private var searched = 0

    /// Whether the scanner has looked further than `count` bytes (the caller passed fewer bytes than
    /// before, so its saved position no longer applies).
    func isPast(_ count: Int) -> Bool {
        searched > count
    }

    /// Moves past any CR and LF bytes at the start of the next line (before `limit`), as llhttp does
    /// before a start line: stray line breaks between messages are ignored, whether CRLF or not.
    mutating func skipLineBreaks(in bytes: UnsafeRawBufferPointer, limit: Int) {
        let end = Swift.min(bytes.count, limit)
        while lineStart < end, bytes[lineStart] == WireByte.cr || bytes[lineStart] == WireByte.lf {
            lineStart += 1
        }
        searched = Swift.max(searched, lineStart)
    }

    /// The next line, whose LF must sit before offset `limit`.
    mutating func nextLine(in bytes: UnsafeRawBufferPointer, limit: Int) -> Step {
        let end = Swift.min(bytes.count, limit)
        var index = Swift.max(searched, lineStart)
        while index < end {
            if bytes[index] == WireByte.lf {
                let start = lineStart
                lineStart = index + 1
                searched = index + 1
                guard index > start, bytes[index - 1] == WireByte.cr else { return .bareLF }
                return .line(start..<(index - 1))
            }
            index += 1
        }
        searched = index
        return bytes.count >= limit ? .limitReached : .needMore
    }
}
