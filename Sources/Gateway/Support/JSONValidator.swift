/// Checks that bytes are one JSON value (RFC 8259), without building it: the AMQP bridge embeds a JSON
/// request body verbatim in the job envelope and only needs to know it will parse. Foundation's
/// `JSONSerialization` would build every object and cost more than the rest of the envelope.
///
/// Strict where parsers agree (no trailing commas, no comments, no leading zeros, no control
/// characters in strings, valid escapes), and nesting is bounded so hostile input cannot exhaust the stack.
public struct JSONValidator {
    /// Deeper nesting is refused.
    public static let maxDepth = 512

    /// Whether `bytes` hold exactly one JSON value, with optional surrounding whitespace.
    public static func isValid<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        let result: Bool? = bytes.withContiguousStorageIfAvailable { buffer in
            var validator = JSONValidator(buffer)
            return validator.validateDocument()
        }
        if let result { return result }
        let copy = Array(bytes)
        return copy.withUnsafeBufferPointer { buffer in
            var validator = JSONValidator(buffer)
            return validator.validateDocument()
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private mutating func validateDocument() -> Bool {
        skipWhitespace()
        guard value(depth: 0) else { return false }
        skipWhitespace()
        return index == bytes.count
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func value(depth: Int) -> Bool {
        guard depth < Self.maxDepth, let byte = current else { return false }
        switch byte {
        case UInt8(ascii: "{"): return object(depth: depth + 1)
        case UInt8(ascii: "["): return array(depth: depth + 1)
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    private mutating func object(depth: Int) -> Bool {
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return true
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\""), string() else { return false }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            guard value(depth: depth) else { return false }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return true
            default: return false
            }
        }
    }

    private mutating func array(depth: Int) -> Bool {
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return true
        }
        while true {
            skipWhitespace()
            guard value(depth: depth) else { return false }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return true
            default: return false
            }
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        index += count
        return matches
    }

    private mutating func string() -> Bool {
        index += 1
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return true
            case UInt8(ascii: "\\"):
                guard let escaped = current else { return false }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    continue
                case UInt8(ascii: "u"):
                    for _ in 0..<4 {
                        guard let hex = current, hex.isHexDigit else { return false }
                        index += 1
                    }
                default:
                    return false
                }
            case 0x00..<0x20:
                return false
            case 0x80...:
                guard utf8Sequence(lead: byte) else { return false }
            default:
                continue
            }
        }
        return false
    }

    /// A well-formed multi-byte UTF-8 sequence after `lead` (no overlongs, no surrogates, ≤ U+10FFFF).
    private mutating func utf8Sequence(lead: UInt8) -> Bool {
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 1
        case 0xE0:
            count = 2
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 2
        case 0xED:
            count = 2
            high = 0x9F
        case 0xF0:
            count = 3
            low = 0x90
        case 0xF1...0xF3: count = 3
        case 0xF4:
            count = 3
            high = 0x8F
        default: return false
        }
        for position in 0..<count {
            guard let byte = current else { return false }
            let range = position == 0 ? low...high : 0x80...0xBF
            guard range.contains(byte) else { return false }
            index += 1
        }
        return true
    }

    private mutating func number() -> Bool {
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, first.isDigit else { return false }
        index += 1
        if first != UInt8(ascii: "0") {
            while let byte = current, byte.isDigit { index += 1 }
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard let byte = current, byte.isDigit else { return false }
            while let byte = current, byte.isDigit { index += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let byte = current, byte.isDigit else { return false }
            while let byte = current, byte.isDigit { index += 1 }
        }
        return true
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    fileprivate var isHexDigit: Bool {
        isDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}
