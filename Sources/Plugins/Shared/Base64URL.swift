/// Base64url (RFC 4648 §5) decoding for JWT segments, strict about the alphabet and lenient about
/// padding (Kong pads a segment before decoding it). Also accepts the standard alphabet's `+` and
/// `/`, which some tools write into base64 secrets.
enum Base64URL {
    /// The decoded bytes, or nil when `text` is not base64url.
    static func decode<Bytes: BidirectionalCollection>(bytes text: Bytes) -> [UInt8]? where Bytes.Element == UInt8 {
        var utf8 = text[...]
        while utf8.last == UInt8(ascii: "=") { utf8 = utf8.dropLast() }
        guard text.count - utf8.count <= 2 else { return nil }
        let count = utf8.count
        if count % 4 == 1 { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in utf8 {
            let value = sextet[Int(byte)]
            guard value < 64 else { return nil }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    /// Decodes a string.
    static func decode(_ text: String) -> [UInt8]? { decode(bytes: text.utf8) }

    /// Decodes a substring.
    static func decode(_ text: Substring) -> [UInt8]? { decode(bytes: text.utf8) }

    /// Encodes bytes without padding (as JWTs carry them).
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            accumulator = (accumulator << 8) | UInt32(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                output.append(alphabet[Int((accumulator >> UInt32(bits)) & 0x3F)])
            }
        }
        if bits > 0 { output.append(alphabet[Int((accumulator << UInt32(6 - bits)) & 0x3F)]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Each byte's 6-bit value, or 255 when it is not in the alphabet.
    private static let sextet: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        table[Int(UInt8(ascii: "+"))] = 62
        table[Int(UInt8(ascii: "/"))] = 63
        return table
    }()
}
