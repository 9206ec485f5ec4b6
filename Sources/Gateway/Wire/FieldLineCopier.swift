import NIOCore

/// Copies kept header fields of a head parsed in place into the head written onwards, as
/// `name: value\r\n` lines, in as few writes as it can.
///
/// A field whose line already reads exactly `name: value\r\n` (one space after the colon, CRLF
/// right after the value: how nearly every client and server writes them) is copied as it stands,
/// and a run of such lines that sit next to each other goes in one copy. Any other line is written
/// in that canonical form piece by piece. Either way the output is the same bytes.
struct FieldLineCopier {
    /// The source bytes still to copy: lines already checked, adjacent, canonical.
    private var pending: Range<Int>?

    /// Appends `field` (from `head`) to `buffer`, or to the run of lines still to copy.
    mutating func copy(_ field: RawField, from head: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        if let line = Self.canonicalLine(field, in: head) {
            if let run = pending, run.upperBound == line.lowerBound {
                pending = run.lowerBound..<line.upperBound
            } else {
                flush(from: head, into: &buffer)
                pending = line
            }
            return
        }
        flush(from: head, into: &buffer)
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: head[field.name]))
        buffer.writeStaticString(": ")
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: head[field.value]))
        buffer.writeStaticString("\r\n")
    }

    /// Writes the lines still pending; call before writing anything else into `buffer`.
    mutating func flush(from head: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        guard let run = pending else { return }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: head[run]))
        pending = nil
    }

    /// The whole line of `field` when it reads exactly `name: value\r\n`; nil otherwise.
    static func canonicalLine(_ field: RawField, in head: UnsafeRawBufferPointer) -> Range<Int>? {
        let colon = field.name.upperBound
        let end = field.value.upperBound
        guard field.value.lowerBound == colon + 2, end + 2 <= head.count,
            head[colon] == UInt8(ascii: ":"), head[colon + 1] == UInt8(ascii: " "),
            head[end] == UInt8(ascii: "\r"), head[end + 1] == UInt8(ascii: "\n")
        else { return nil }
        return field.name.lowerBound..<(end + 2)
    }
}
