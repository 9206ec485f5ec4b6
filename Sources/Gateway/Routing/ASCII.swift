/// Byte-level helpers shared by the path normaliser and the matchers.
///
/// Everything here works on UTF-8 code units and treats only ASCII specially, like Lua's
/// `string.lower` and nginx do: header values and hosts are compared byte by byte after ASCII
/// case folding, and non-ASCII bytes compare exactly.
enum ASCII {
    static let slash: UInt8 = 0x2F  // "/"
    static let dot: UInt8 = 0x2E  // "."
    static let percent: UInt8 = 0x25  // "%"
    static let colon: UInt8 = 0x3A  // ":"
    static let asterisk: UInt8 = 0x2A  // "*"
    static let tilde: UInt8 = 0x7E  // "~"

    /// The value of a hexadecimal digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte &- 0x30
        case 0x41...0x46: return byte &- 0x41 &+ 10
        case 0x61...0x66: return byte &- 0x61 &+ 10
        default: return nil
        }
    }

    /// The upper-case form of an ASCII letter; other bytes unchanged.
    @inline(__always)
    static func upper(_ byte: UInt8) -> UInt8 {
        (0x61...0x7A).contains(byte) ? byte &- 0x20 : byte
    }

    /// The lower-case form of an ASCII letter; other bytes unchanged.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte &+ 0x20 : byte
    }

    /// RFC 3986 `unreserved`: ALPHA / DIGIT / "-" / "." / "_" / "~".
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: return true
        default: return false
        }
    }

    /// Whether `value` equals `lowercased` once its ASCII letters are folded to lower case.
    /// `lowercased` must already be lower case.
    static func equalsIgnoringCase(_ value: Substring, lowercased: String) -> Bool {
        let a = value.utf8
        let b = lowercased.utf8
        guard a.count == b.count else { return false }
        return a.elementsEqual(b) { lower($0) == $1 }
    }

    /// Whether `a` and `b` are equal once the ASCII letters of both are folded to lower case.
    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        let left = a.utf8
        let right = b.utf8
        guard left.count == right.count else { return false }
        return left.elementsEqual(right) { lower($0) == lower($1) }
    }

    /// The string with its ASCII letters in lower case (non-ASCII text untouched); `text` itself,
    /// without a copy, when it has none in upper case (most header names on the wire).
    static func lowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return text }
        return String(decoding: text.utf8.map(lower), as: UTF8.self)
    }
}
