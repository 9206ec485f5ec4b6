import NIOHTTP1

extension HTTPVersion {
    /// The version spelt by the 8 bytes at `start` (`HTTP/1.1` or `HTTP/1.0`, case-sensitive), or nil
    /// for anything else: the gateway speaks no other HTTP/1 version and HTTP/2 is not spoken this way.
    static func fromWire(_ bytes: UnsafeRawBufferPointer, at start: Int) -> HTTPVersion? {
        guard start + 8 <= bytes.count, WireText.equals(bytes, start..<(start + 7), "HTTP/1.") else { return nil }
        switch bytes[start + 7] {
        case 0x31: return .http1_1
        case 0x30: return .http1_0
        default: return nil
        }
    }
}
