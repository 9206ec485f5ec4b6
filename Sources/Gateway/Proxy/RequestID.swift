/// Request ids: kept from a well-formed incoming `X-Request-Id`, otherwise generated (32 hex digits,
/// by ``RequestIDGenerator``).
public enum RequestID {
    /// The longest incoming id that is kept.
    public static let maxLength = 200

    /// Whether an incoming id may be kept: 1–200 visible ASCII characters from a safe set
    /// (letters, digits and `-._~:+/=@`), so that it cannot inject anything into logs or headers.
    public static func isWellFormed(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard !utf8.isEmpty, utf8.count <= maxLength else { return false }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                continue
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"),
                UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "@"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// A random UUID in its canonical 8-4-4-4-12 form (version 4).
    public static func uuid() -> String {
        var generator = SystemRandomNumberGenerator()
        return uuid(generator.next(), generator.next())
    }

    /// The version 4 UUID made of 128 random bits.
    static func uuid(_ randomHigh: UInt64, _ randomLow: UInt64) -> String {
        let high = (randomHigh & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (randomLow & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            // 8-4-4-4-12: the high 64 bits fill the first three groups, the low ones the last two.
            writeHex(high >> 32, digits: 8, into: buffer, at: 0)
            buffer[8] = UInt8(ascii: "-")
            writeHex(high >> 16, digits: 4, into: buffer, at: 9)
            buffer[13] = UInt8(ascii: "-")
            writeHex(high, digits: 4, into: buffer, at: 14)
            buffer[18] = UInt8(ascii: "-")
            writeHex(low >> 48, digits: 4, into: buffer, at: 19)
            buffer[23] = UInt8(ascii: "-")
            writeHex(low, digits: 12, into: buffer, at: 24)
            return 36
        }
    }

    static func hex128(_ high: UInt64, _ low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            writeHex(high, digits: 16, into: buffer, at: 0)
            writeHex(low, digits: 16, into: buffer, at: 16)
            return 32
        }
    }

    /// Writes the low `digits` hex digits of `value` (lower case, most significant first) at `offset`.
    private static func writeHex(_ value: UInt64, digits: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        let alphabet: StaticString = "0123456789abcdef"
        var rest = value
        for index in stride(from: offset + digits - 1, through: offset, by: -1) {
            buffer[index] = alphabet.utf8Start[Int(rest & 0xF)]
            rest >>= 4
        }
    }
}
