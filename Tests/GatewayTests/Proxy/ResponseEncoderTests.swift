import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Gateway

/// The client-side encoder frames responses as NIO's does, and knows which answer a `HEAD`.
@Suite struct ResponseEncoderTests {
    /// Writes `parts` for requests with `methods` and returns the bytes that went out.
    static func encode(_ parts: [HTTPServerResponsePart], methods: [HTTPMethod] = [.GET]) throws -> String {
        let encoder = ResponseEncoder()
        let channel = EmbeddedChannel(handler: encoder)
        for method in methods { encoder.requestReceived(method) }
        for part in parts { try channel.writeOutbound(part) }
        var output = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = data { output += String(buffer: buffer) }
        }
        _ = try channel.finish()
        return output
    }

    static func head(_ status: HTTPResponseStatus, _ headers: HTTPHeaders = [:]) -> HTTPServerResponsePart {
        .head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))
    }

    static let body = HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "hello")))

    @Test func aLengthIsKeptAndTheBodyWrittenAsIs() throws {
        let bytes = try Self.encode([Self.head(.ok, ["Content-Length": "5", "X-A": "1"]), Self.body, .end(nil)])
        #expect(bytes == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello")
    }

    @Test func withoutALengthTheBodyIsChunked() throws {
        let bytes = try Self.encode([Self.head(.created), Self.body, .end(["X-Sum": "5"])])
        #expect(bytes == "HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Sum: 5\r\n\r\n")
        #expect(try Self.encode([Self.head(.ok), .end(nil)]) == "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n")
    }

    @Test func aHeadResponseKeepsItsFramingHeadersButHasNoBody() throws {
        let bytes = try Self.encode([Self.head(.ok, ["Transfer-Encoding": "chunked"]), Self.body, .end(nil)], methods: [.HEAD])
        #expect(bytes == "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
        // The next response (to a GET) has its body again; a 100 Continue answers no request.
        let pipelined = try Self.encode(
            [Self.head(.ok, ["Content-Length": "5"]), .end(nil), Self.head(.continue), Self.head(.ok, ["Content-Length": "5"]), Self.body, .end(nil)],
            methods: [.HEAD, .GET]
        )
        #expect(pipelined == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
    }

    @Test func statusesWithoutABodyLoseTheirFraming() throws {
        let bytes = try Self.encode([Self.head(.noContent, ["Content-Length": "5", "X-A": "1"]), .end(nil)])
        #expect(bytes == "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n")
    }

    @Test func anAnswerToNoRequestHasItsBody() throws {
        // A 400 for bytes that never made a request: no method was recorded for it.
        let bytes = try Self.encode([Self.head(.badRequest, ["Content-Length": "5"]), Self.body, .end(nil)], methods: [])
        #expect(bytes == "HTTP/1.1 400 Bad Request\r\nContent-Length: 5\r\n\r\nhello")
    }
}
