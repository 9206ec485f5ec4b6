import NIOCore
import Testing

@testable import Gateway

/// `MessageBodyReader`: a body's pieces, decoded or as received, however the bytes arrive; what
/// follows the body stays.
@Suite struct MessageBodyReaderTests {
    /// Reads `text` in pieces of `size` bytes; the pieces handed out, joined, and what was left after
    /// the body's end.
    static func read(_ reader: MessageBodyReader, _ text: String, size: Int) throws -> (body: String, left: String, finished: Bool) {
        var reader = reader
        var unconsumed = UnconsumedBytes()
        var body = ""
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            unconsumed.append(ByteBuffer(bytes: bytes[offset..<min(offset + size, bytes.count)]))
            offset += size
            guard var pending = unconsumed.bytes else { continue }
            let read = try reader.read(&pending)
            unconsumed.keep(pending)
            for piece in [read.first].compactMap({ $0 }) + read.rest { body += String(buffer: piece) }
            if read.finished {
                var left = unconsumed.bytes.map { String(buffer: $0) } ?? ""
                left += String(decoding: bytes[min(offset, bytes.count)...], as: UTF8.self)
                return (body, left, true)
            }
        }
        return (body, "", false)
    }

    static let chunked = "3\r\nabc\r\n2;x=1\r\nde\r\n0\r\nX-T: 1\r\n\r\n"
    static let next = "HTTP/1.1 200 OK\r\n"

    @Test(arguments: [1, 2, 5, 100])
    func everyWayOfReading(size: Int) throws {
        let length = try Self.read(MessageBodyReader(length: 5), "hello" + Self.next, size: size)
        #expect(length.body == "hello" && length.left == Self.next && length.finished)
        let decoded = try Self.read(MessageBodyReader(chunkedWithMaxTrailerSize: 100), Self.chunked + Self.next, size: size)
        #expect(decoded.body == "abcde" && decoded.left == Self.next && decoded.finished)
        let relayed = try Self.read(
            MessageBodyReader(chunkedWithMaxTrailerSize: 100, relaysAsReceived: true),
            Self.chunked + Self.next,
            size: size
        )
        #expect(relayed.body == Self.chunked && relayed.left == Self.next && relayed.finished)
    }

    @Test func trailersAndErrors() throws {
        var reader = MessageBodyReader(chunkedWithMaxTrailerSize: 100)
        var bytes = ByteBuffer(string: Self.chunked)
        #expect(try reader.read(&bytes).finished)
        #expect(reader.trailers?.first(name: "x-t") == "1")
        var broken = MessageBodyReader(chunkedWithMaxTrailerSize: 100)
        var bad = ByteBuffer(string: "zz\r\n")
        #expect(throws: ChunkedError.self) { _ = try broken.read(&bad) }
    }
}
