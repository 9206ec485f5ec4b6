import NIOHTTP1

/// A status line (RFC 9112 §4): `HTTP-version SP status-code SP [ reason-phrase ]`, checked in place.
struct StatusLine {
    let version: HTTPVersion
    /// The three-digit status code (100-999).
    let code: Int
    /// The reason phrase's bytes as sent (possibly empty).
    let reason: Range<Int>

    /// Parses `line` (without its CRLF). The SP after the code may be missing when there is no
    /// reason phrase (as some servers send it); the reason may hold HTAB, SP, visible ASCII and
    /// bytes >= 0x80, no other control byte.
    init(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) throws(WireViolation) {
        let start = line.lowerBound
        guard line.count >= 12, let version = HTTPVersion.fromWire(bytes, at: start) else {
            throw WireViolation("unsupported or malformed HTTP version in the status line")
        }
        guard bytes[start + 8] == WireByte.space else { throw WireViolation("malformed status line") }
        var code = 0
        for index in (start + 9)..<(start + 12) {
            let byte = bytes[index]
            guard WireByte.isDigit(byte) else { throw WireViolation("malformed status code") }
            code = code * 10 + Int(byte &- 0x30)
        }
        guard code >= 100 else { throw WireViolation("malformed status code") }
        var reasonStart = start + 12
        if reasonStart < line.upperBound {
            guard bytes[reasonStart] == WireByte.space else { throw WireViolation("malformed status line") }
            reasonStart += 1
        }
        for index in reasonStart..<line.upperBound where !WireByte.isFieldValue(bytes[index]) {
            throw WireViolation("control byte in the reason phrase")
        }
        self.version = version
        self.code = code
        self.reason = reasonStart..<line.upperBound
    }
}
