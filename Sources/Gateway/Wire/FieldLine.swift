/// One field line (RFC 9112 §5): `field-name ":" OWS field-value OWS`, checked in place.
enum FieldLine {
    /// The field in `line` (a line of `bytes` without its CRLF), or why it is not a valid field line:
    /// the name must be a non-empty token directly followed by ":" (no whitespace before it, no
    /// obs-fold), and the value may hold HTAB, SP, visible ASCII and bytes >= 0x80, but no other
    /// control byte (NUL, CR, LF, DEL, ...).
    static func parse(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) throws(WireViolation) -> RawField {
        let end = line.upperBound
        var index = line.lowerBound
        if index < end, WireByte.isWhitespace(bytes[index]) {
            throw WireViolation("line folding (obs-fold) or whitespace before a field name")
        }
        while index < end, WireByte.isToken(bytes[index]) { index += 1 }
        let name = line.lowerBound..<index
        guard index < end, bytes[index] == WireByte.colon else {
            if index < end, WireByte.isWhitespace(bytes[index]) {
                throw WireViolation("whitespace in or after a field name")
            }
            throw WireViolation(index < end ? "invalid byte in a field name" : "field line without a colon")
        }
        guard !name.isEmpty else { throw WireViolation("empty field name") }
        index += 1
        while index < end, WireByte.isWhitespace(bytes[index]) { index += 1 }
        let valueStart = index
        var valueEnd = index
        while index < end {
            let byte = bytes[index]
            guard WireByte.isFieldValue(byte) else { throw WireViolation("control byte in a field value") }
            index += 1
            if !WireByte.isWhitespace(byte) { valueEnd = index }
        }
        return RawField(name: name, value: valueStart..<valueEnd)
    }
}
