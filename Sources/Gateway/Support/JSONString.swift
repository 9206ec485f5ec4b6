import NIOCore

/// JSON string escaping (RFC 8259) straight into a buffer; shared by the core and the plugins.
public enum JSONString {
    /// Writes `string` as a JSON string literal: runs of bytes that need no escaping are copied
    /// whole, so the common case (no quote, backslash or control character) is one bulk write.
    public static func write(_ string: String, into buffer: inout ByteBuffer) {
        write(string, lowercasingASCII: false, into: &buffer)
    }

    /// ``write(_:into:)``, with the string's ASCII letters folded to lower case on the way when
    /// `lowercasingASCII` (header names) — without making a lower-case copy first.
    public static func write(_ string: String, lowercasingASCII: Bool, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                if lowercasingASCII, byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                    if runStart < index {
                        buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<index])))
                    }
                    buffer.writeInteger(byte | 0x20)
                    runStart = index + 1
                    continue
                }
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index {
                    buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<index])))
                }
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x08: buffer.writeStaticString("\\b")
                case 0x0C: buffer.writeStaticString("\\f")
                default:
                    let hex: StaticString = "0123456789abcdef"
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(hex.utf8Start[Int(byte >> 4)])
                    buffer.writeInteger(hex.utf8Start[Int(byte & 0xF)])
                }
            }
            if runStart < bytes.count {
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...])))
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// `string` as a JSON string literal.
    public static func encode(_ string: String) -> String {
        var buffer = ByteBuffer()
        write(string, into: &buffer)
        return String(buffer: buffer)
    }
}
