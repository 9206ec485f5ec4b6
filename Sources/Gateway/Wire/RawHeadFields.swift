import NIOCore

/// A head parsed in place (request or response): its bytes and its fields as ranges into them.
///
/// The helpers make Strings only when asked, so a proxy that never looks at a header never pays
/// for decoding it.
protocol RawHeadFields {
    /// Exactly the head's bytes; every range in `fields` is 0-based in this slice's readable bytes.
    var bytes: ByteBuffer { get }
    /// The header fields, in the order they were sent.
    var fields: [RawField] { get }
}

extension RawHeadFields {
    /// The bytes in `range` as a String (UTF-8, invalid sequences replaced like NIO's decoder does).
    func string(_ range: Range<Int>) -> String {
        bytes.getString(at: bytes.readerIndex + range.lowerBound, length: range.count) ?? ""
    }

    /// The field's name as sent (case preserved).
    func name(of field: RawField) -> String {
        string(field.name)
    }

    /// The field's value, without surrounding whitespace.
    func value(of field: RawField) -> String {
        string(field.value)
    }

    /// Whether the field's name is `lowercased`, ignoring the case of the name as sent; allocates
    /// nothing. `lowercased` must be lower-case ASCII.
    func field(_ field: RawField, isNamed lowercased: StaticString) -> Bool {
        lowercased.withUTF8Buffer { expected in
            bytes.withUnsafeReadableBytes { head in
                WireText.equalsLowercase(head, field.name, expected)
            }
        }
    }

    /// Whether the field's name is `lowercased`, ignoring the case of the name as sent; allocates
    /// nothing. `lowercased` must be lower-case ASCII.
    func field(_ field: RawField, isNamed lowercased: String) -> Bool {
        guard field.name.count == lowercased.utf8.count else { return false }
        return bytes.withUnsafeReadableBytes { head in
            var index = field.name.lowerBound
            for byte in lowercased.utf8 {
                guard ASCII.lower(head[index]) == byte else { return false }
                index += 1
            }
            return true
        }
    }

    /// The first field named `name` (any case on either side).
    func firstField(named name: String) -> RawField? {
        let lowercased = ASCII.lowercased(name)
        return fields.first { self.field($0, isNamed: lowercased) }
    }

    /// The value of the first field named `name` (any case on either side), or nil.
    func firstValue(named name: String) -> String? {
        let lowercased = ASCII.lowercased(name)
        for field in fields where self.field(field, isNamed: lowercased) {
            return value(of: field)
        }
        return nil
    }

    /// The values of every field named `name` (any case on either side), in order.
    func values(named name: String) -> [String] {
        let lowercased = ASCII.lowercased(name)
        return fields.filter { self.field($0, isNamed: lowercased) }.map { value(of: $0) }
    }

    /// The fields as (name, value) Strings, in order, exactly as NIO's decoder gives them: llhttp
    /// drops the whitespace before a value but keeps the whitespace after it, so each value here
    /// runs on to the end of its line.
    func headerPairs() -> [(String, String)] {
        var pairs: [(String, String)] = []
        pairs.reserveCapacity(fields.count)
        bytes.withUnsafeReadableBytes { head in
            for field in fields {
                var end = field.value.upperBound
                while end < head.count, WireByte.isWhitespace(head[end]) { end += 1 }
                pairs.append((name(of: field), string(field.value.lowerBound..<end)))
            }
        }
        return pairs
    }
}
