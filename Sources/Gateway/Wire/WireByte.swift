/// The byte classes of HTTP/1 syntax (RFC 9110 §5.6, RFC 9112), as cheap tests on one byte, so the
/// wire parsers can check heads in place without making Strings.
enum WireByte {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C

    /// RFC 9110 `tchar`: what field names, methods and chunk-extension names are made of.
    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x61...0x7A, 0x41...0x5A, 0x30...0x39,  // a-z A-Z 0-9
            0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E,  // ! # $ % & ' * + - .
            0x5E, 0x5F, 0x60, 0x7C, 0x7E:  // ^ _ ` | ~
            return true
        default:
            return false
        }
    }

    /// SP or HTAB (RFC 9110 `OWS` is made of these).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// A byte allowed in a field value (and a reason phrase): HTAB, SP, VCHAR and obs-text; that is,
    /// anything but NUL, CR, LF, the other C0 controls and DEL.
    @inline(__always)
    static func isFieldValue(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == tab
    }

    /// A byte allowed in a request target: visible ASCII (no SP, controls, DEL or bytes >= 0x80).
    @inline(__always)
    static func isTarget(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    /// An ASCII decimal digit.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }
}
