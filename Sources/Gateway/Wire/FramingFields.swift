/// The fields that decide how a message is framed and whether its connection stays open
/// (`Content-Length`, `Transfer-Encoding`, `Connection`, `Host`, `Expect`), noted while a head's
/// field lines are parsed so nothing is looked up twice.
///
/// Offsets are those of the bytes passed to `note`; the verdicts (`contentLength()`, ...) are
/// taken once the head is complete.
struct FramingFields {
    private(set) var contentLengths = 0
    private(set) var contentLength: Range<Int>?
    private(set) var transferEncodings = 0
    private(set) var transferEncoding: Range<Int>?
    private(set) var hosts = 0
    private(set) var host: Range<Int>?
    /// A `Connection` field lists `close`.
    private(set) var connectionClose = false
    /// A `Connection` field lists `keep-alive`.
    private(set) var connectionKeepAlive = false
    /// An `Expect` field is `100-continue`.
    private(set) var expectContinue = false

    /// Notes `field` if it is one of the fields above (names compared ignoring case).
    @inline(__always)
    mutating func note(_ field: RawField, in bytes: UnsafeRawBufferPointer) {
        switch field.name.count {
        case 4 where WireText.equalsLowercase(bytes, field.name, "host"):
            hosts += 1
            host = field.value
        case 6 where WireText.equalsLowercase(bytes, field.name, "expect"):
            if WireText.equalsLowercase(bytes, field.value, "100-continue") { expectContinue = true }
        case 10 where WireText.equalsLowercase(bytes, field.name, "connection"):
            WireText.forEachListElement(bytes, field.value) { token in
                if WireText.equalsLowercase(bytes, token, "close") {
                    connectionClose = true
                } else if WireText.equalsLowercase(bytes, token, "keep-alive") {
                    connectionKeepAlive = true
                }
                return true
            }
        case 14 where WireText.equalsLowercase(bytes, field.name, "content-length"):
            contentLengths += 1
            contentLength = field.value
        case 17 where WireText.equalsLowercase(bytes, field.name, "transfer-encoding"):
            transferEncodings += 1
            transferEncoding = field.value
        default:
            break
        }
    }

    /// The body length a single `Content-Length` gives: nil when there is none; a violation when
    /// there are several (even equal) or the value is not all digits (no sign, no list, no
    /// whitespace inside) or does not fit in an `Int`.
    func contentLength(in bytes: UnsafeRawBufferPointer) throws(WireViolation) -> Int? {
        guard let range = contentLength else { return nil }
        guard contentLengths == 1 else { throw WireViolation("more than one Content-Length") }
        guard !range.isEmpty else { throw WireViolation("empty Content-Length") }
        var length = 0
        for index in range {
            let byte = bytes[index]
            guard WireByte.isDigit(byte) else { throw WireViolation("Content-Length is not a number") }
            let (times10, overflow1) = length.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte &- 0x30))
            guard !overflow1, !overflow2 else { throw WireViolation("Content-Length too large") }
            length = sum
        }
        return length
    }

    /// Whether the single `Transfer-Encoding`'s last coding is `chunked` (any case), with no
    /// `chunked` before it (RFC 9112 §6.1: it is applied at most once, and last). Nil when there is
    /// no `Transfer-Encoding`; a violation when there are several, or one with no coding.
    func endsInChunked(in bytes: UnsafeRawBufferPointer) throws(WireViolation) -> Bool? {
        guard let range = transferEncoding else { return nil }
        guard transferEncodings == 1 else { throw WireViolation("more than one Transfer-Encoding") }
        var codings = 0
        var chunkedAt: Int?
        WireText.forEachListElement(bytes, range) { element in
            // `chunked` takes no parameters: an element that is more than the name is another coding.
            if chunkedAt == nil, WireText.equalsLowercase(bytes, element, "chunked") {
                chunkedAt = codings
            }
            codings += 1
            return true
        }
        guard codings > 0 else { throw WireViolation("empty Transfer-Encoding") }
        return chunkedAt == codings - 1
    }
}
