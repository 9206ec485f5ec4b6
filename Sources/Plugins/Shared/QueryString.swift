/// Reads `application/x-www-form-urlencoded` pairs (a query string, a form body) as Kong's
/// `kong.request.get_query` does: `+` is a space, `%XX` is decoded, a name may repeat.
enum QueryString {
    /// The decoded values of every `name=value` pair whose decoded name is `name` (a bare `name`
    /// counts as an empty value).
    static func values(named name: String, in query: Substring) -> [String] {
        var found: [String] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: "=")
            let rawName = equals.map { pair[pair.startIndex..<$0] } ?? pair
            guard decode(rawName) == name else { continue }
            let rawValue = equals.map { pair[pair.index(after: $0)...] } ?? ""
            found.append(decode(rawValue))
        }
        return found
    }

    /// The query with every pair named `name` removed, or nil when nothing is left.
    static func removing(_ name: String, from query: Substring) -> String? {
        let kept = query.split(separator: "&", omittingEmptySubsequences: true).filter { pair in
            let equals = pair.firstIndex(of: "=")
            return decode(equals.map { pair[pair.startIndex..<$0] } ?? pair) != name
        }
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }

    /// Percent-decodes `text`, with `+` as a space; invalid escapes are kept as written.
    static func decode(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hex(iterator[iterator.startIndex]),
                let low = hex(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
