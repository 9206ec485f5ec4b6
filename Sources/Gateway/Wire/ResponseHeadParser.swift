import NIOCore
import NIOHTTP1

/// Parses an upstream response head (RFC 9112 §2-§6) in place from the bytes received so far.
///
/// Like `RequestHeadParser`: the caller accumulates reads into one buffer starting at the response
/// and calls again when more bytes arrive; scanning resumes where it stopped and the outcome does
/// not depend on how the bytes were split. An informational head (1xx) is returned like any other
/// (framing `.none`); the caller then parses the next head with a new parser. Failures carry 502.
/// Like llhttp, any CR and LF bytes before the status line are skipped; they count towards
/// `consumed` and `maxHeadSize`.
struct ResponseHeadParser {
    /// What `parse` found.
    enum Outcome {
        /// The head is not complete yet.
        case needMore
        /// A complete, valid head, and how many bytes of the buffer it took.
        case head(RawResponseHead, consumed: Int)
        /// The head is invalid or too large: the upstream is broken (502).
        case failure(HeadFailure)
    }

    /// Largest head: every byte up to and including the final CRLF CRLF.
    let maxHeadSize: Int

    private var scanner = HeadLineScanner()
    /// Where the status line starts (after any empty lines); nil until it is complete.
    private var headStart: Int?
    private var statusLine: StatusLine?
    private var fields: [RawField] = []
    private var framingFields = FramingFields()
    /// The head or failure already found, returned again if the caller calls once more.
    private var finished: Outcome?

    init(maxHeadSize: Int) {
        self.maxHeadSize = Swift.max(0, Swift.min(maxHeadSize, Int.max / 4))
        fields.reserveCapacity(16)
    }

    /// Looks for a complete head at the start of `buffer`'s readable bytes; `requestMethod` is the
    /// method of the request it answers (a response to HEAD has no body). Once it has found a head or
    /// a failure, it returns that again on every call (make a new parser for the next head).
    mutating func parse(_ buffer: ByteBuffer, requestMethod: HTTPMethod) -> Outcome {
        if let finished { return finished }
        if scanner.isPast(buffer.readableBytes) {
            self = ResponseHeadParser(maxHeadSize: maxHeadSize)
        }
        let outcome = buffer.withUnsafeReadableBytes { bytes in scan(bytes, buffer, requestMethod) }
        if case .needMore = outcome { return outcome }
        finished = outcome
        return outcome
    }

    /// Whether the bytes from `start` (an incomplete line) can still begin `HTTP/`.
    private static func mayStartStatusLine(_ bytes: UnsafeRawBufferPointer, at start: Int) -> Bool {
        let prefix: StaticString = "HTTP/"
        let count = Swift.min(bytes.count - start, prefix.utf8CodeUnitCount)
        guard count > 0 else { return true }
        return prefix.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[start + $0] == expected[$0] }
        }
    }

    private mutating func scan(_ bytes: UnsafeRawBufferPointer, _ buffer: ByteBuffer, _ method: HTTPMethod) -> Outcome {
        while true {
            if statusLine == nil { scanner.skipLineBreaks(in: bytes, limit: maxHeadSize) }
            let headStart = self.headStart ?? scanner.lineStart
            switch scanner.nextLine(in: bytes, limit: maxHeadSize) {
            case .needMore:
                if statusLine == nil, !Self.mayStartStatusLine(bytes, at: scanner.lineStart) {
                    // Fail at once, as llhttp does: bytes that cannot become a response (say, a body
                    // sent after a 204) must not sit in the connection until the next response.
                    return .failure(.badGateway("not an HTTP response"))
                }
                return .needMore
            case .limitReached:
                return .failure(.badGateway("response head too large"))
            case .bareLF:
                return .failure(.badGateway("line ending in a bare LF"))
            case .line(let line):
                let head = UnsafeRawBufferPointer(rebasing: bytes[headStart...])
                let local = (line.lowerBound - headStart)..<(line.upperBound - headStart)
                do throws(WireViolation) {
                    if statusLine == nil {
                        self.headStart = headStart
                        statusLine = try StatusLine(head, local)
                    } else if line.isEmpty {
                        return try complete(head, buffer, headStart: headStart, end: scanner.lineStart, method)
                    } else {
                        let field = try FieldLine.parse(head, local)
                        fields.append(field)
                        framingFields.note(field, in: head)
                    }
                } catch {
                    return .failure(.badGateway(error.reason))
                }
            }
        }
    }

    /// The head, once its final empty line is found: its framing and connection semantics decided.
    private func complete(
        _ bytes: UnsafeRawBufferPointer,
        _ buffer: ByteBuffer,
        headStart: Int,
        end: Int,
        _ method: HTTPMethod
    ) throws(WireViolation) -> Outcome {
        guard let statusLine else { throw WireViolation("no status line") }
        let code = statusLine.code
        // Ambiguous lengths are refused whatever the status: they are how responses are smuggled.
        let chunked = try framingFields.endsInChunked(in: bytes)
        let length = try framingFields.contentLength(in: bytes)
        if chunked != nil, length != nil { throw WireViolation("both Content-Length and Transfer-Encoding") }

        let framing: ResponseFraming
        if method == .HEAD || code < 200 || code == 204 || code == 304 || (method == .CONNECT && code < 300) {
            framing = .none
        } else if let chunked {
            // A last coding other than chunked: the body ends when the connection does (§6.3).
            framing = chunked ? .chunked : .untilClose
        } else if let length {
            framing = .length(length)
        } else {
            framing = .untilClose
        }

        let keepAlive: Bool
        if framingFields.connectionClose || framing == .untilClose {
            keepAlive = false
        } else if statusLine.version == .http1_1 {
            keepAlive = true
        } else {
            keepAlive = framingFields.connectionKeepAlive && chunked == nil
        }

        guard let head = buffer.getSlice(at: buffer.readerIndex + headStart, length: end - headStart) else {
            throw WireViolation("head outside the buffer")
        }
        let parsed = RawResponseHead(
            bytes: head,
            version: statusLine.version,
            statusCode: code,
            reason: statusLine.reason,
            fields: fields,
            framing: framing,
            keepAlive: keepAlive
        )
        return .head(parsed, consumed: end)
    }
}
