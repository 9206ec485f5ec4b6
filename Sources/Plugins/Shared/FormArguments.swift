/// `application/x-www-form-urlencoded` arguments (a query string or a form body) as nginx's
/// `ngx.decode_args` reads them: `a=1&a=2&flag` → `a: ["1", "2"]`, `flag: true`. Order is kept.
public struct FormArguments: Sendable, Hashable {
    /// One argument's value.
    public enum Value: Sendable, Hashable {
        /// A name without `=` (`?flag`).
        case flag
        /// One or more values (`?a=1&a=2`).
        case values([String])
    }

    /// The arguments in order of first appearance.
    public private(set) var entries: [(name: String, value: Value)] = []

    /// No arguments.
    public init() {}

    /// Decodes `text` (`+` is a space; `%XX` escapes; empty names are skipped).
    public init(decoding text: Substring) {
        for piece in text.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = piece.firstIndex(of: "=") {
                let name = Self.unescape(piece[..<equals])
                guard !name.isEmpty else { continue }
                add(name, value: Self.unescape(piece[piece.index(after: equals)...]))
            } else {
                let name = Self.unescape(piece)
                guard !name.isEmpty else { continue }
                if self[name] == nil { entries.append((name, .flag)) }
            }
        }
    }

    private mutating func add(_ name: String, value: String) {
        if let index = entries.firstIndex(where: { $0.name == name }) {
            if case .values(let existing) = entries[index].value {
                entries[index].value = .values(existing + [value])
            } else {
                entries[index].value = .values([value])
            }
        } else {
            entries.append((name, .values([value])))
        }
    }

    /// The value of argument `name`; setting nil removes it, a new name is appended.
    public subscript(name: String) -> Value? {
        get { entries.first { $0.name == name }?.value }
        set {
            let index = entries.firstIndex { $0.name == name }
            switch (index, newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append((name, value))
            case (nil, nil): break
            }
        }
    }

    /// Renames `old` to `new` where `old` stands (an existing `new` is dropped); false when absent.
    @discardableResult
    public mutating func rename(_ old: String, to new: String) -> Bool {
        guard old != new, let index = entries.firstIndex(where: { $0.name == old }) else { return false }
        entries[index].name = new
        if let duplicate = entries.indices.first(where: { $0 != index && entries[$0].name == new }) {
            entries.remove(at: duplicate)
        }
        return true
    }

    /// Adds `value` to `name`'s values (Kong's `append_value`: a flag becomes a single value).
    public mutating func append(_ name: String, value: String) {
        if case .values(let existing) = self[name] {
            self[name] = .values(existing + [value])
        } else {
            self[name] = .values([value])
        }
    }

    /// The encoded form (`ngx.encode_args`): `a=1&a=2&flag`, percent-escaping all but unreserved bytes.
    public var encoded: String {
        var parts: [String] = []
        for entry in entries {
            let name = Self.escape(entry.name)
            switch entry.value {
            case .flag: parts.append(name)
            case .values(let values): parts += values.map { name + "=" + Self.escape($0) }
            }
        }
        return parts.joined(separator: "&")
    }

    /// Percent-decodes `text`, with `+` as a space; an invalid escape is kept as written (as
    /// `ngx.decode_args` does) and the bytes after its `%` are read again.
    static func unescape(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(text)
        }
        let input = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < input.count,
                let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `query` (or a form body) without the pairs whose decoded name is `name`, the others kept as
    /// written (Kong's `hide_credentials`); nil when nothing is left.
    public static func removing(_ name: String, from query: Substring) -> String? {
        let kept = query.split(separator: "&", omittingEmptySubsequences: true).filter { pair in
            let equals = pair.firstIndex(of: "=")
            return unescape(equals.map { pair[pair.startIndex..<$0] } ?? pair) != name
        }
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension FormArguments {
    public static func == (lhs: FormArguments, rhs: FormArguments) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.name)
            hasher.combine(entry.value)
        }
    }
}
