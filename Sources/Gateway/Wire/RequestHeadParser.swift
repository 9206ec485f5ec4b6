import NIOCore
import NIOHTTP1

/// Parses a request head (RFC 9112 §2-§7) in place from the bytes a client has sent so far.
///
/// The caller accumulates reads into one buffer that starts at the start of the request and calls
/// `parse` again when more bytes arrive; the parser remembers how far it got, so a head arriving in
/// many small reads is scanned once, and the outcome never depends on how the bytes were split.
/// After `.head`, the caller makes a new parser for the next request. Empty lines before the request
/// line are skipped (RFC 9112 §2.2; like llhttp, any CR and LF bytes there) and count towards
/// `consumed` and `maxHeadSize`.
struct RequestHeadParser {
    /// What `parse` found.
    enum Outcome {
        /// The head is not complete yet.
        case needMore
        /// A complete, valid head, and how many bytes of the buffer it took (the body, or the next
        /// request, starts there).
        case head(RawRequestHead, consumed: Int)
        /// The head is invalid or too large: answer `status` and close.
        case failure(HeadFailure)
    }

    /// Longest request line, CRLF excluded (414 beyond).
    let maxRequestLine: Int
    /// Largest head: every byte up to and including the final CRLF CRLF (431 beyond).
    let maxHeadSize: Int

    private var scanner = HeadLineScanner()
    /// Where the request line starts (after any empty lines); nil until it is complete.
    private var headStart: Int?
    private var requestLine: RequestLine?
    private var fields: [RawField] = []
    private var framingFields = FramingFields()
    /// The head or failure already found, returned again if the caller calls once more.
    private var finished: Outcome?

    init(maxRequestLine: Int, maxHeadSize: Int) {
        // Clamped so that offsets plus a limit cannot overflow.
        self.maxRequestLine = Swift.max(0, Swift.min(maxRequestLine, Int.max / 4))
        self.maxHeadSize = Swift.max(0, Swift.min(maxHeadSize, Int.max / 4))
        fields.reserveCapacity(16)
    }

    /// Looks for a complete head at the start of `buffer`'s readable bytes. Once it has found a head
    /// or a failure, it returns that again on every call (make a new parser for the next message).
    mutating func parse(_ buffer: ByteBuffer) -> Outcome {
        if let finished { return finished }
        if scanner.isPast(buffer.readableBytes) {
            // Fewer bytes than last time: not the same stream any more; start over.
            self = RequestHeadParser(maxRequestLine: maxRequestLine, maxHeadSize: maxHeadSize)
        }
        let outcome = buffer.withUnsafeReadableBytes { bytes in scan(bytes, buffer) }
        if case .needMore = outcome { return outcome }
        finished = outcome
        return outcome
    }

    private mutating func scan(_ bytes: UnsafeRawBufferPointer, _ buffer: ByteBuffer) -> Outcome {
        while true {
            if requestLine == nil { scanner.skipLineBreaks(in: bytes, limit: maxHeadSize) }
            let headStart = self.headStart ?? scanner.lineStart
            let lineLimit = requestLine == nil ? scanner.lineStart + maxRequestLine + 2 : Int.max
            switch scanner.nextLine(in: bytes, limit: Swift.min(lineLimit, maxHeadSize)) {
            case .needMore:
                return .needMore
            case .limitReached:
                if lineLimit <= maxHeadSize {
                    return .failure(HeadFailure(status: .uriTooLong, reason: "request line too long"))
                }
                return .failure(HeadFailure(status: .requestHeaderFieldsTooLarge, reason: "request head too large"))
            case .bareLF:
                return .failure(.badRequest("line ending in a bare LF"))
            case .line(let line):
                let head = UnsafeRawBufferPointer(rebasing: bytes[headStart...])
                let local = (line.lowerBound - headStart)..<(line.upperBound - headStart)
                do throws(WireViolation) {
                    if requestLine == nil {
                        self.headStart = headStart
                        requestLine = try RequestLine(head, local)
                    } else if line.isEmpty {
                        return try complete(head, buffer, headStart: headStart, end: scanner.lineStart)
                    } else {
                        let field = try FieldLine.parse(head, local)
                        fields.append(field)
                        framingFields.note(field, in: head)
                    }
                } catch {
                    return .failure(.badRequest(error.reason))
                }
            }
        }
    }

    /// The head, once its final empty line is found: its framing and connection semantics decided.
    private func complete(
        _ head: UnsafeRawBufferPointer,
        _ buffer: ByteBuffer,
        headStart: Int,
        end: Int
    ) throws(WireViolation) -> Outcome {
        guard let requestLine else { throw WireViolation("no request line") }
        let version = requestLine.version
        if framingFields.hosts > 1 { throw WireViolation("more than one Host") }
        if framingFields.hosts == 0, version == .http1_1 { throw WireViolation("HTTP/1.1 request without Host") }

        let chunked = try framingFields.endsInChunked(in: head)
        let length = try framingFields.contentLength(in: head)
        let framing: RequestFraming
        switch (chunked, length) {
        case (.some, .some):
            throw WireViolation("both Content-Length and Transfer-Encoding")
        case (.some(let chunked), nil):
            // A request whose last coding is not chunked has no knowable length (RFC 9112 §6.3).
            guard chunked else { throw WireViolation("Transfer-Encoding not ending in chunked") }
            framing = .chunked
        case (nil, .some(let length)):
            framing = .length(length)
        case (nil, nil):
            framing = .none
        }

        let keepAlive: Bool
        if framingFields.connectionClose {
            keepAlive = false
        } else if version == .http1_1 {
            keepAlive = true
        } else {
            keepAlive = framingFields.connectionKeepAlive && chunked == nil
        }

        guard let bytes = buffer.getSlice(at: buffer.readerIndex + headStart, length: end - headStart) else {
            throw WireViolation("head outside the buffer")
        }
        let parsed = RawRequestHead(
            bytes: bytes,
            method: requestLine.method,
            target: requestLine.target,
            version: version,
            fields: fields,
            framing: framing,
            keepAlive: keepAlive,
            expectsContinue: framingFields.expectContinue && version == .http1_1,
            host: framingFields.host
        )
        return .head(parsed, consumed: end)
    }
}
