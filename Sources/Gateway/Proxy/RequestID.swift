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
        let hex = Array(hex128(high, low).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (index, byte) in hex.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { out.append(UInt8(ascii: "-")) }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex128(_ high: UInt64, _ low: UInt64) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for index in 0..<16 {
                buffer[15 - index] = digits[Int((high >> (UInt64(index) * 4)) & 0xF)]
                buffer[31 - index] = digits[Int((low >> (UInt64(index) * 4)) & 0xF)]
            }
            return 32
        }
    }
}
