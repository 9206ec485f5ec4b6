/// A `multipart/form-data` body (RFC 7578) split into its parts as written, enough to read a field
/// by name (as Kong's `multipart` library does for `kong.request.get_body`) and to drop fields
/// without touching the other parts' bytes.
struct MultipartFormData {
    /// One part: its field name and where it stands in the body.
    struct Part {
        /// The `name` parameter of its `Content-Disposition`, if any.
        let name: String?
        /// The part's content (between its headers and the next delimiter).
        let content: Range<Int>
        /// The part with its opening delimiter, up to the next delimiter (what dropping it removes).
        let span: Range<Int>
    }

    /// The whole body.
    let bytes: [UInt8]
    /// The parts, in order.
    let parts: [Part]

    /// Splits `bytes` with the `boundary` parameter of `contentType`; nil when there is no boundary
    /// or the body is not a complete multipart body.
    init?(_ bytes: [UInt8], contentType: String) {
        guard let boundary = Self.boundary(in: contentType) else { return nil }
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter = [0x0D, 0x0A] + dashBoundary
        // The first delimiter may open the body; later ones follow a CRLF.
        guard var start = Self.find(dashBoundary, in: bytes, from: 0, atLineStart: true) else { return nil }
        var parts: [Part] = []
        while true {
            var cursor = start + dashBoundary.count
            if Self.matches([UInt8(ascii: "-"), UInt8(ascii: "-")], in: bytes, at: cursor) { break }  // the close delimiter
            guard let lineEnd = Self.find([0x0D, 0x0A], in: bytes, from: cursor, atLineStart: false) else { return nil }
            cursor = lineEnd + 2  // transport padding ignored
            let headersEnd: Int
            if Self.matches([0x0D, 0x0A], in: bytes, at: cursor) {
                headersEnd = cursor
            } else {
                guard let blank = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: cursor, atLineStart: false) else {
                    return nil
                }
                headersEnd = blank + 2
            }
            let contentStart = headersEnd + 2
            guard let next = Self.find(delimiter, in: bytes, from: contentStart - 2, atLineStart: false) else { return nil }
            let name = Self.fieldName(headers: bytes[cursor..<headersEnd])
            parts.append(Part(name: name, content: contentStart..<max(contentStart, next), span: start..<(next + 2)))
            start = next + 2
        }
        self.bytes = bytes
        self.parts = parts
    }

    /// The contents of the parts named `name`, as text.
    func values(named name: String) -> [String] {
        parts.filter { $0.name == name }.map { String(decoding: bytes[$0.content], as: UTF8.self) }
    }

    /// The body without the parts named `name` (the other bytes unchanged).
    func removing(_ name: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var kept = 0
        for part in parts where part.name == name {
            output += bytes[kept..<part.span.lowerBound]
            kept = part.span.upperBound
        }
        output += bytes[kept...]
        return output
    }

    /// The `boundary` parameter of a `Content-Type` (quoted or not), if any.
    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let trimmed = parameter.trimmingSpaces
            guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals].lowercased() == "boundary" else { continue }
            var value = trimmed[trimmed.index(after: equals)...]
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            return value.isEmpty || value.count > 200 ? nil : String(value)
        }
        return nil
    }

    /// The `name` parameter of a part's `Content-Disposition: form-data; name="…"` header.
    static func fieldName(headers: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: headers, as: UTF8.self)
        for line in text.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].trimmingSpaces.lowercased() == "content-disposition"
            else { continue }
            for parameter in line[line.index(after: colon)...].split(separator: ";").dropFirst() {
                let trimmed = parameter.trimmingSpaces
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals].lowercased() == "name" else { continue }
                var value = trimmed[trimmed.index(after: equals)...]
                if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
                return String(value)
            }
        }
        return nil
    }

    private static func matches(_ pattern: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
        index >= 0 && index + pattern.count <= bytes.count && bytes[index..<(index + pattern.count)].elementsEqual(pattern)
    }

    /// The first index at or after `from` where `pattern` stands (at the start of a line, when asked).
    private static func find(_ pattern: [UInt8], in bytes: [UInt8], from: Int, atLineStart: Bool) -> Int? {
        guard let first = pattern.first, from >= 0 else { return nil }
        var index = from
        while index + pattern.count <= bytes.count {
            if bytes[index] == first, matches(pattern, in: bytes, at: index),
                !atLineStart || index == 0 || (index >= 2 && bytes[index - 2] == 0x0D && bytes[index - 1] == 0x0A)
            {
                return index
            }
            index += 1
        }
        return nil
    }
}
