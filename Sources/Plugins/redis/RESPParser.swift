import NIOCore

/// Parses RESP2 values out of received bytes. Pure: no I/O, so every framing case is testable.
enum RESPParser {
    /// Bulk strings larger than this are refused (a sane bound; Redis itself allows 512 MB).
    static let maxBulkLength = 64 * 1024 * 1024
    /// Arrays nested deeper than this are refused.
    static let maxDepth = 8

    /// Parses one value from the readable bytes and moves the reader index past it; returns nil and
    /// leaves the buffer untouched when the value is not complete yet.
    static func parse(_ buffer: inout ByteBuffer) throws(RedisError) -> RESPValue? {
        var copy = buffer
        guard let value = try parseValue(&copy, depth: 0) else { return nil }
        buffer = copy
        return value
    }

    private static func parseValue(_ buffer: inout ByteBuffer, depth: Int) throws(RedisError) -> RESPValue? {
        guard let type = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        guard let line = try readLine(&buffer) else { return nil }
        let rest = line.dropFirst()
        switch type {
        case UInt8(ascii: "+"):
            return .simpleString(String(decoding: rest, as: UTF8.self))
        case UInt8(ascii: "-"):
            return .error(String(decoding: rest, as: UTF8.self))
        case UInt8(ascii: ":"):
            return .integer(try integer(rest))
        case UInt8(ascii: "$"):
            let length = try integer(rest)
            if length == -1 { return .bulkString(nil) }
            guard length >= 0, length <= maxBulkLength else { throw .protocolError("bad bulk length \(length)") }
            guard buffer.readableBytes >= length + 2 else { return nil }
            guard let bytes = buffer.readSlice(length: length) else { return nil }
            guard buffer.readInteger(as: UInt8.self) == 13, buffer.readInteger(as: UInt8.self) == 10 else {
                throw .protocolError("bulk string not followed by CRLF")
            }
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            let count = try integer(rest)
            if count == -1 { return .array(nil) }
            guard count >= 0, count <= maxBulkLength else { throw .protocolError("bad array length \(count)") }
            guard depth < maxDepth else { throw .protocolError("arrays nested too deep") }
            var values: [RESPValue] = []
            values.reserveCapacity(min(count, 64))
            for _ in 0..<count {
                guard let value = try parseValue(&buffer, depth: depth + 1) else { return nil }
                values.append(value)
            }
            return .array(values)
        default:
            throw .protocolError("unknown type byte \(type)")
        }
    }

    /// The bytes up to CRLF (consumed with it), or nil when no CRLF has arrived yet.
    private static func readLine(_ buffer: inout ByteBuffer) throws(RedisError) -> [UInt8]? {
        let view = buffer.readableBytesView
        guard let cr = view.firstIndex(of: 13) else {
            if view.count > 64 * 1024 { throw .protocolError("line too long") }
            return nil
        }
        let next = view.index(after: cr)
        guard next < view.endIndex else { return nil }
        guard view[next] == 10 else { throw .protocolError("CR not followed by LF") }
        let line = Array(view[view.startIndex..<cr])
        buffer.moveReaderIndex(forwardBy: line.count + 2)
        return line
    }

    private static func integer(_ digits: ArraySlice<UInt8>) throws(RedisError) -> Int {
        guard let value = Int(String(decoding: digits, as: UTF8.self)) else {
            throw .protocolError("bad integer \"\(String(decoding: digits, as: UTF8.self))\"")
        }
        return value
    }
}
