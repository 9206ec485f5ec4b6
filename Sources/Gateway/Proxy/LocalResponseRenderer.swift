import NIOCore
import NIOHTTP1

/// Writes a ``LocalResponse`` the way Kong 3.x writes its own responses: JSON with the request id,
/// `Content-Length`, `X-Request-Id` and `Server`.
enum LocalResponseRenderer {
    static let serverToken = "pasarela"

    static func render(_ response: LocalResponse, requestID: String, keepAlive: Bool) -> (
        head: HTTPResponseHead, body: ByteBuffer?
    ) {
        var headers = response.headers
        var body = response.body
        if let message = response.jsonMessage {
            var buffer = ByteBuffer()
            buffer.writeString("{\"message\":")
            JSONString.write(message, into: &buffer)
            buffer.writeString(",\"request_id\":")
            JSONString.write(requestID, into: &buffer)
            buffer.writeString("}")
            body = buffer
            headers.replaceOrAdd(name: "Content-Type", value: "application/json; charset=utf-8")
        } else if let members = response.jsonMembers {
            var buffer = ByteBuffer()
            buffer.writeString("{")
            for (index, member) in members.enumerated() {
                if index > 0 { buffer.writeString(",") }
                JSONString.write(member.0, into: &buffer)
                buffer.writeString(":")
                JSONString.write(member.1, into: &buffer)
            }
            buffer.writeString("}")
            body = buffer
            headers.replaceOrAdd(name: "Content-Type", value: "application/json; charset=utf-8")
        }
        headers.replaceOrAdd(name: "Content-Length", value: String(body?.readableBytes ?? 0))
        headers.replaceOrAdd(name: "X-Request-Id", value: requestID)
        if !headers.contains(name: "server") { headers.add(name: "Server", value: serverToken) }
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        return (HTTPResponseHead(version: .http1_1, status: response.status, headers: headers), body)
    }
}

/// Minimal JSON string escaping (RFC 8259) straight into a buffer.
enum JSONString {
    /// Writes `string` as a JSON string literal: runs of bytes that need no escaping are copied
    /// whole, so the common case (no quote, backslash or control character) is one bulk write.
    static func write(_ string: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))) }
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x09: buffer.writeStaticString("\\t")
                default:
                    let hex: StaticString = "0123456789abcdef"
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(hex.utf8Start[Int(byte >> 4)])
                    buffer.writeInteger(hex.utf8Start[Int(byte & 0xF)])
                }
            }
            if runStart < bytes.count { buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...]))) }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    static func encode(_ string: String) -> String {
        var buffer = ByteBuffer()
        write(string, into: &buffer)
        return String(buffer: buffer)
    }
}
