import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Gateway

/// Helpers for the wire-parser tests: feeding bytes in pieces, comparable summaries of outcomes, and
/// NIO's own decoders as the reference.
enum Wire {
    static func bytes(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }

    /// Cut points for `count` bytes: whole, byte by byte, and `randomSplits` random splittings.
    static func splittings(of count: Int, randomSplits: Int = 8, seed: UInt64 = 0x5EED) -> [[Int]] {
        var result: [[Int]] = [[count], Array(repeating: 1, count: count)]
        var generator = SplitMix64(seed: seed &+ UInt64(count))
        for _ in 0..<randomSplits {
            var pieces: [Int] = []
            var left = count
            while left > 0 {
                let piece = Int.random(in: 1...Swift.max(1, Swift.min(left, 17)), using: &generator)
                pieces.append(piece)
                left -= piece
            }
            result.append(pieces)
        }
        return result
    }

    /// Accumulates `bytes` piece by piece into one buffer, calling `parse` after each piece, as the
    /// proxy will; the first outcome that is not "need more" (or the last one).
    static func feed<Outcome>(
        _ bytes: [UInt8],
        pieces: [Int],
        isNeedMore: (Outcome) -> Bool,
        parse: (ByteBuffer) -> Outcome
    ) -> Outcome? {
        var buffer = ByteBuffer()
        var offset = 0
        var last: Outcome?
        for piece in pieces {
            buffer.writeBytes(bytes[offset..<(offset + piece)])
            offset += piece
            let outcome = parse(buffer)
            last = outcome
            if !isNeedMore(outcome) { return outcome }
        }
        return last
    }

    // MARK: Requests

    /// A request outcome in comparable form.
    enum RequestSummary: Equatable, CustomStringConvertible {
        case needMore
        case head(RequestHeadSummary, consumed: Int)
        case failure(UInt)

        var description: String {
            switch self {
            case .needMore: return "needMore"
            case .head(let head, let consumed): return "head(\(head), consumed: \(consumed))"
            case .failure(let status): return "failure(\(status))"
            }
        }

        var status: UInt? {
            if case .failure(let status) = self { return status }
            return nil
        }

        var head: RequestHeadSummary? {
            if case .head(let head, _) = self { return head }
            return nil
        }
    }

    struct RequestHeadSummary: Equatable {
        var bytes: [UInt8]
        var method: HTTPMethod
        var target: String
        var version: HTTPVersion
        var fields: [RawField]
        var names: [String]
        var values: [String]
        var framing: RequestFraming
        var keepAlive: Bool
        var expectsContinue: Bool
        var host: String?

        init(_ head: RawRequestHead) {
            bytes = Array(head.bytes.readableBytesView)
            method = head.method
            target = head.targetString
            version = head.version
            fields = head.fields
            names = head.fields.map(head.name(of:))
            values = head.fields.map(head.value(of:))
            framing = head.framing
            keepAlive = head.keepAlive
            expectsContinue = head.expectsContinue
            host = head.host.map(head.string)
        }
    }

    static func summary(_ outcome: RequestHeadParser.Outcome) -> RequestSummary {
        switch outcome {
        case .needMore: return .needMore
        case .head(let head, let consumed): return .head(RequestHeadSummary(head), consumed: consumed)
        case .failure(let failure): return .failure(failure.status.code)
        }
    }

    static let defaultMaxRequestLine = 8192
    static let defaultMaxHeadSize = 65536

    /// Parses `bytes` fed in `pieces` (whole by default).
    static func parseRequest(
        _ bytes: [UInt8],
        pieces: [Int]? = nil,
        maxRequestLine: Int = defaultMaxRequestLine,
        maxHeadSize: Int = defaultMaxHeadSize
    ) -> RequestSummary {
        var parser = RequestHeadParser(maxRequestLine: maxRequestLine, maxHeadSize: maxHeadSize)
        let outcome = feed(
            bytes,
            pieces: pieces ?? [bytes.count],
            isNeedMore: { if case .needMore = $0 { true } else { false } },
            parse: { parser.parse($0) }
        )
        return outcome.map(summary) ?? .needMore
    }

    /// The head itself (for tests of its helpers), or nil.
    static func requestHead(_ text: String) -> RawRequestHead? {
        var parser = RequestHeadParser(maxRequestLine: defaultMaxRequestLine, maxHeadSize: defaultMaxHeadSize)
        if case .head(let head, _) = parser.parse(ByteBuffer(string: text)) { return head }
        return nil
    }

    // MARK: Responses

    enum ResponseSummary: Equatable, CustomStringConvertible {
        case needMore
        case head(ResponseHeadSummary, consumed: Int)
        case failure(UInt)

        var description: String {
            switch self {
            case .needMore: return "needMore"
            case .head(let head, let consumed): return "head(\(head), consumed: \(consumed))"
            case .failure(let status): return "failure(\(status))"
            }
        }

        var head: ResponseHeadSummary? {
            if case .head(let head, _) = self { return head }
            return nil
        }
    }

    struct ResponseHeadSummary: Equatable {
        var bytes: [UInt8]
        var version: HTTPVersion
        var code: Int
        var reason: String
        var fields: [RawField]
        var names: [String]
        var values: [String]
        var framing: ResponseFraming
        var keepAlive: Bool

        init(_ head: RawResponseHead) {
            bytes = Array(head.bytes.readableBytesView)
            version = head.version
            code = head.statusCode
            reason = head.reasonString
            fields = head.fields
            names = head.fields.map(head.name(of:))
            values = head.fields.map(head.value(of:))
            framing = head.framing
            keepAlive = head.keepAlive
        }
    }

    static func parseResponse(
        _ bytes: [UInt8],
        method: HTTPMethod = .GET,
        pieces: [Int]? = nil,
        maxHeadSize: Int = defaultMaxHeadSize
    ) -> ResponseSummary {
        var parser = ResponseHeadParser(maxHeadSize: maxHeadSize)
        let outcome = feed(
            bytes,
            pieces: pieces ?? [bytes.count],
            isNeedMore: { if case .needMore = $0 { true } else { false } },
            parse: { parser.parse($0, requestMethod: method) }
        )
        switch outcome {
        case .none, .needMore: return .needMore
        case .head(let head, let consumed): return .head(ResponseHeadSummary(head), consumed: consumed)
        case .failure(let failure): return .failure(failure.status.code)
        }
    }

    static func responseHead(_ text: String, method: HTTPMethod = .GET) -> RawResponseHead? {
        var parser = ResponseHeadParser(maxHeadSize: defaultMaxHeadSize)
        if case .head(let head, _) = parser.parse(ByteBuffer(string: text), requestMethod: method) { return head }
        return nil
    }

    // MARK: NIO as the reference

    /// What NIO's decoder made of some bytes.
    enum NIOVerdict<Head> {
        case accepted(Head)
        case rejected(String)
        case incomplete

        var head: Head? {
            if case .accepted(let head) = self { return head }
            return nil
        }
    }

    /// Runs NIO's `HTTPRequestDecoder` (what the gateway uses today) over `bytes`.
    static func nioRequest(_ bytes: [UInt8]) -> NIOVerdict<HTTPRequestHead> {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish() }
        do {
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
            )
            try channel.writeInbound(ByteBuffer(bytes: bytes))
            while let part = try channel.readInbound(as: HTTPServerRequestPart.self) {
                if case .head(let head) = part { return .accepted(head) }
            }
            return .incomplete
        } catch {
            return .rejected("\(error)")
        }
    }

    /// Runs NIO's `HTTPResponseDecoder` over `bytes`, after sending a `method` request through the
    /// `HTTPRequestEncoder` so the decoder knows what it answers; informational heads are forwarded.
    static func nioResponse(_ bytes: [UInt8], method: HTTPMethod) -> NIOVerdict<HTTPResponseHead> {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish() }
        do {
            let sync = channel.pipeline.syncOperations
            try sync.addHandler(HTTPRequestEncoder())
            try sync.addHandler(
                ByteToMessageHandler(
                    HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes, informationalResponseStrategy: .forward)
                )
            )
            let request = HTTPRequestHead(version: .http1_1, method: method, uri: "/", headers: ["Host": "x"])
            try channel.writeOutbound(HTTPClientRequestPart.head(request))
            try channel.writeOutbound(HTTPClientRequestPart.end(nil))
            while try channel.readOutbound(as: ByteBuffer.self) != nil {}
            try channel.writeInbound(ByteBuffer(bytes: bytes))
            while let part = try channel.readInbound(as: HTTPClientResponsePart.self) {
                if case .head(let head) = part { return .accepted(head) }
            }
            return .incomplete
        } catch {
            return .rejected("\(error)")
        }
    }

    /// Headers as an ordered list of pairs (NIO's `==` on `HTTPHeaders` ignores order).
    static func pairs(_ headers: HTTPHeaders) -> [String] {
        headers.map { "\($0.name): \($0.value)" }
    }
}

/// A small seeded generator, so random splits are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
