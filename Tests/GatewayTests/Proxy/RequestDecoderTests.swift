import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Gateway

/// The client-side decoder: bytes in any pieces become the same request parts, bodies are framed by
/// Content-Length or chunked, pipelined requests follow one another, and bad input stops decoding
/// with the status to answer.
@Suite struct RequestDecoderTests {
    /// Request parts in a comparable form (body bytes joined per request).
    enum Part: Equatable {
        case head(HTTPMethod, String, [String])
        case body(String)
        case end
        case error(UInt)
    }

    /// Records what the decoder hands on, and the errors it raises.
    final class Recorder: ChannelInboundHandler {
        typealias InboundIn = ClientRequestPart
        var parts: [Part] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let raw):
                let head = raw.makeHTTPRequestHead()
                parts.append(.head(head.method, head.uri, head.headers.map { "\($0.name): \($0.value)" }))
            case .body(let body):
                let text = String(buffer: body)
                if case .body(let previous) = parts.last {
                    parts[parts.count - 1] = .body(previous + text)
                } else {
                    parts.append(.body(text))
                }
            case .end:
                parts.append(.end)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            if let error = error as? RequestDecodingError { parts.append(.error(error.status.code)) }
        }
    }

    /// Feeds `text` in pieces of `pieceSize` bytes (0: all at once) and returns what came out.
    static func decode(_ text: String, pieceSize: Int = 0, maxRequestLine: Int = 100, maxHeadSize: Int = 400) throws
        -> [Part]
    {
        let recorder = Recorder()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(RequestDecoder(maxRequestLine: maxRequestLine, maxHeadSize: maxHeadSize))
        try channel.pipeline.syncOperations.addHandler(recorder)
        let bytes = Array(text.utf8)
        let size = pieceSize == 0 ? max(bytes.count, 1) : pieceSize
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + size, bytes.count)
            try channel.writeInbound(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
        }
        _ = try channel.finish()
        return recorder.parts
    }

    static let pipelined =
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
        + "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=1\r\nde\r\n0\r\nT: 1\r\n\r\n"
        + "GET /c HTTP/1.1\r\nHost: x\r\n\r\n"

    static let expected: [Part] = [
        .head(.POST, "/a", ["Host: x", "Content-Length: 5"]), .body("hello"), .end,
        .head(.POST, "/b", ["Host: x", "Transfer-Encoding: chunked"]), .body("abcde"), .end,
        .head(.GET, "/c", ["Host: x"]), .end,
    ]

    @Test(arguments: [0, 1, 2, 3, 7, 16, 50])
    func pipelinedRequestsComeOutTheSameInAnyPieces(pieceSize: Int) throws {
        #expect(try Self.decode(Self.pipelined, pieceSize: pieceSize) == Self.expected)
    }

    @Test func aBodyWithoutLengthOrChunkingIsEmpty() throws {
        #expect(try Self.decode("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n") == [.head(.GET, "/", ["Host: x", "Content-Length: 0"]), .end])
    }

    @Test func badInputStopsDecodingWithItsStatus() throws {
        let smuggled = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"
        #expect(try Self.decode(smuggled) == [.error(400)])
        #expect(try Self.decode("GET /\(String(repeating: "a", count: 200)) HTTP/1.1\r\nHost: x\r\n\r\n") == [.error(414)])
        #expect(try Self.decode("GET / HTTP/1.1\r\nHost: x\r\nX: \(String(repeating: "a", count: 500))\r\n\r\n") == [.error(431)])
        // A chunked body that goes wrong after its head: the head was handed on, then the error.
        let badChunk = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
        #expect(try Self.decode(badChunk) == [.head(.POST, "/", ["Host: x", "Transfer-Encoding: chunked"]), .error(400)])
        // Nothing after the first error is decoded, however the bytes arrive.
        #expect(try Self.decode("GARBAGE\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", pieceSize: 3) == [.error(400)])
    }

    @Test func bodyBytesAreSlicesOfWhatWasRead() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(RequestDecoder(maxRequestLine: 100, maxHeadSize: 400))
        var read = ByteBuffer(string: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody")
        try channel.writeInbound(read)
        _ = try channel.readInbound(as: ClientRequestPart.self)  // head
        guard case .body(let body) = try channel.readInbound(as: ClientRequestPart.self) else {
            Issue.record("no body part")
            return
        }
        // Same storage: the body is a view of the read, not a copy.
        let sameStorage = body.withUnsafeReadableBytes { bodyBytes in
            read.withUnsafeReadableBytes { readBytes in bodyBytes.baseAddress == readBytes.baseAddress.map { $0 + readBytes.count - 4 } }
        }
        #expect(sameStorage)
        read.clear()
        _ = try channel.finish()
    }
}
