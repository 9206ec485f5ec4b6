import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Gateway

/// The upstream-side decoder: framing follows the request (HEAD), informational heads are dropped,
/// a response without length ends at the close, trailers are kept, and bytes that cannot be a
/// response fail at once.
@Suite struct UpstreamResponseDecoderTests {
    enum Part: Equatable {
        case head(UInt, [String])
        case body(String)
        case end([String])
        case error
    }

    final class Recorder: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        var parts: [Part] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                parts.append(.head(head.status.code, head.headers.map { "\($0.name): \($0.value)" }))
            case .body(let body):
                let text = String(buffer: body)
                if case .body(let previous) = parts.last {
                    parts[parts.count - 1] = .body(previous + text)
                } else {
                    parts.append(.body(text))
                }
            case .end(let trailers):
                parts.append(.end(trailers.map { $0.map { "\($0.name): \($0.value)" } } ?? []))
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            if error is UpstreamResponseError { parts.append(.error) }
        }
    }

    /// Sends requests with `methods`, then feeds `text` in pieces of `pieceSize` (0: at once); `close`
    /// closes the connection afterwards.
    static func decode(_ text: String, methods: [HTTPMethod] = [.GET], pieceSize: Int = 0, close: Bool = false) throws
        -> [Part]
    {
        let recorder = Recorder()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(UpstreamResponseDecoder(maxHeadSize: 1024))
        try channel.pipeline.syncOperations.addHandler(recorder)
        for method in methods {
            try channel.writeOutbound(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: "/")))
        }
        let bytes = Array(text.utf8)
        let size = pieceSize == 0 ? max(bytes.count, 1) : pieceSize
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + size, bytes.count)
            try channel.writeInbound(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
        }
        if close { channel.pipeline.fireChannelInactive() }
        _ = try? channel.finish()
        return recorder.parts
    }

    @Test(arguments: [0, 1, 5, 13])
    func responsesFollowTheirRequests(pieceSize: Int) throws {
        let text =
            "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
            + "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n"  // answers a HEAD: no body
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nX-Sum: 7\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\n"
        let parts = try Self.decode(text, methods: [.POST, .HEAD, .GET, .GET], pieceSize: pieceSize)
        #expect(
            parts == [
                .head(200, ["Content-Length: 2"]), .body("ok"), .end([]),
                .head(200, ["Content-Length: 9"]), .end([]),
                .head(200, ["Transfer-Encoding: chunked"]), .body("ab"), .end(["X-Sum: 7"]),
                .head(204, []), .end([]),
            ]
        )
    }

    /// Takes responses as bytes when `accepts` says so, and records what it got.
    final class Relay: UpstreamResponseRelay {
        var accepts: (RawResponseHead) -> Bool
        var events: [String] = []
        init(accepts: @escaping (RawResponseHead) -> Bool) { self.accepts = accepts }

        func relayResponseHead(_ head: RawResponseHead) -> Bool {
            let taken = accepts(head)
            if taken { events.append("head \(head.statusCode)") }
            return taken
        }
        func relayResponseBody(_ bytes: ByteBuffer) {
            if case .some(let last) = events.last, last.hasPrefix("body ") {
                events[events.count - 1] = last + String(buffer: bytes)
            } else {
                events.append("body " + String(buffer: bytes))
            }
        }
        func relayResponseEnd() { events.append("end") }
    }

    @Test(arguments: [0, 1, 4])
    func aRelayGetsTheBodyAsReceivedAndCanDecline(pieceSize: Int) throws {
        let relay = Relay { $0.statusCode != 404 }
        let recorder = Recorder()
        let channel = EmbeddedChannel()
        let decoder = UpstreamResponseDecoder(maxHeadSize: 1024)
        decoder.relay = relay
        try channel.pipeline.syncOperations.addHandler(decoder)
        try channel.pipeline.syncOperations.addHandler(recorder)
        for method in [HTTPMethod.GET, .GET, .GET, .HEAD] {
            try channel.writeOutbound(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: "/")))
        }
        let text =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nX-T: 1\r\n\r\n"
            + "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno"  // declined: parts
            + "HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nabc"
            + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n"  // a HEAD's: no body
        let bytes = Array(text.utf8)
        let size = pieceSize == 0 ? bytes.count : pieceSize
        var offset = 0
        while offset < bytes.count {
            try channel.writeInbound(ByteBuffer(bytes: bytes[offset..<min(offset + size, bytes.count)]))
            offset += size
        }
        #expect(
            relay.events == [
                "head 200", "body 2\r\nab\r\n0\r\nX-T: 1\r\n\r\n", "end", "head 201", "body abc", "end", "head 200", "end",
            ]
        )
        #expect(recorder.parts == [.head(404, ["Content-Length: 2"]), .body("no"), .end([])])
        _ = try? channel.finish()
    }

    @Test func aResponseWithoutLengthEndsAtTheClose() throws {
        let parts = try Self.decode("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it", pieceSize: 4, close: true)
        #expect(parts == [.head(200, ["Connection: close"]), .body("all of it"), .end([])])
    }

    @Test func bytesThatCannotBeAResponseFailAtOnce() throws {
        // A body after a 204 (a broken upstream): the stray bytes fail before any next response.
        let parts = try Self.decode("HTTP/1.1 204 No Content\r\n\r\n{\"status\":204}")
        #expect(parts == [.head(204, []), .end([]), .error])
        #expect(try Self.decode("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n") == [.error])
        #expect(try Self.decode("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab") == [.error])
    }
}
