import NIOCore
import NIOHTTP1

/// Decodes a chunked body (RFC 9112 §7.1) incrementally, one buffer at a time, in place.
///
/// Chunk data is handed out as slices of the input (no copy). Decoding stops right after the last
/// chunk's trailer section, so the bytes of a pipelined next message stay unconsumed; `consumed` is
/// exact, so a caller may relay the consumed bytes verbatim instead of the data (chunked
/// pass-through). Extensions are checked and skipped; trailer fields are checked and kept
/// (``trailers``). The result is the same however the input is split.
struct ChunkedDecoder {
    /// Where in the chunked syntax the next byte falls.
    private enum State: Equatable {
        case size
        case sizeWhitespace  // BWS after the size: only ";" may follow
        case extensionNameStart  // after ";"
        case extensionName
        case extensionNameWhitespace  // BWS after a name: "=" or ";" may follow
        case extensionValueStart  // after "="
        case extensionToken
        case extensionQuoted
        case extensionQuotedPair
        case extensionValueEnd  // after a value: ";" or CR (or BWS before ";")
        case extensionValueWhitespace
        case sizeLineLF
        case data
        case dataCR
        case dataLF
        case trailerLineStart
        case trailerName
        case trailerValue
        case trailerLF
        case finalLF
        case done
    }

    /// Longest chunk-size line, extensions and CRLF included.
    let maxChunkLine: Int
    /// Largest trailer section, the final CRLF excluded.
    let maxTrailerSize: Int

    private var state = State.size
    private var size = 0
    private var sizeDigits = 0
    private var remaining = 0
    private var lineLength = 0
    private var trailerLength = 0
    /// The trailer section as received (field lines with their CRLFs), kept for ``trailers``.
    private var trailerBytes: [UInt8] = []
    private var failure: ChunkedError?

    init(maxTrailerSize: Int = 16 * 1024, maxChunkLine: Int = 4096) {
        self.maxTrailerSize = maxTrailerSize
        self.maxChunkLine = maxChunkLine
    }

    /// Whether the last chunk and its trailers have been read.
    var isFinished: Bool {
        state == .done
    }

    /// The trailer fields of a finished body, in order (names as sent, values without surrounding
    /// whitespace); nil when there were none. Forwarded like NIO's decoder forwards them.
    var trailers: HTTPHeaders? {
        guard state == .done, !trailerBytes.isEmpty else { return nil }
        var headers = HTTPHeaders()
        // Each line was checked while it arrived: `name ":" value CRLF`.
        for line in trailerBytes.split(separator: WireByte.lf) {
            guard let colon = line.firstIndex(of: WireByte.colon) else { continue }
            let name = line[line.startIndex..<colon]
            var value = line[(colon + 1)...]
            while let last = value.last, last == WireByte.cr || WireByte.isWhitespace(last) { value = value.dropLast() }
            while let first = value.first, WireByte.isWhitespace(first) { value = value.dropFirst() }
            headers.add(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
        }
        return headers
    }

    /// Decodes from `bytes`' readable bytes, calling `onData` with each run of chunk data (a slice
    /// of `bytes`). Returns how many bytes were used (all of them unless the body ended inside
    /// `bytes`) and whether the body is complete. After an error every later call throws it again.
    mutating func decode(
        _ bytes: ByteBuffer,
        onData: (ByteBuffer) -> Void
    ) throws(ChunkedError) -> (consumed: Int, finished: Bool) {
        if let failure { throw failure }
        if state == .done { return (0, true) }
        let count = bytes.readableBytes
        var index = 0
        let error: ChunkedError? = bytes.withUnsafeReadableBytes { input in
            while index < count {
                if state == .data {
                    let length = Swift.min(remaining, count - index)
                    if let slice = bytes.getSlice(at: bytes.readerIndex + index, length: length) { onData(slice) }
                    index += length
                    remaining -= length
                    if remaining == 0 { state = .dataCR }
                    continue
                }
                let byte = input[index]
                index += 1
                if let error = step(byte) { return error }
                if state == .done { return nil }
            }
            return nil
        }
        if let error {
            failure = error
            throw error
        }
        return (index, state == .done)
    }

    /// Takes one byte outside chunk data; the error, if the byte breaks the syntax.
    private mutating func step(_ byte: UInt8) -> ChunkedError? {
        switch state {
        case .size, .sizeWhitespace, .extensionNameStart, .extensionName, .extensionNameWhitespace,
            .extensionValueStart, .extensionToken, .extensionQuoted, .extensionQuotedPair, .extensionValueEnd,
            .extensionValueWhitespace, .sizeLineLF:
            lineLength += 1
            if lineLength > maxChunkLine { return .chunkLineTooLong }
            return sizeLine(byte)
        case .dataCR:
            if byte == WireByte.cr {
                state = .dataLF
                return nil
            }
            return byte == WireByte.lf ? .bareLF : .missingCRLFAfterData
        case .dataLF:
            guard byte == WireByte.lf else { return .bareCR }
            startSizeLine()
            return nil
        case .trailerLineStart, .trailerName, .trailerValue, .trailerLF, .finalLF:
            return trailer(byte)
        case .data, .done:
            return nil  // not reached: decode handles these states itself
        }
    }

    private mutating func startSizeLine() {
        state = .size
        size = 0
        sizeDigits = 0
        lineLength = 0
    }

    /// One byte of a chunk-size line: `chunk-size *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ) CRLF`.
    private mutating func sizeLine(_ byte: UInt8) -> ChunkedError? {
        if byte == WireByte.lf, state != .sizeLineLF { return .bareLF }
        let isWhitespace = WireByte.isWhitespace(byte)
        switch state {
        case .size:
            if let digit = ASCII.hexValue(byte) {
                guard size <= (Int.max - Int(digit)) / 16 else { return .chunkSizeOverflow }
                size = size * 16 + Int(digit)
                sizeDigits += 1
                return nil
            }
            guard sizeDigits > 0 else { return .invalidChunkSize }
            if byte == WireByte.cr {
                state = .sizeLineLF
            } else if byte == WireByte.semicolon {
                state = .extensionNameStart
            } else if isWhitespace {
                state = .sizeWhitespace
            } else {
                return .invalidChunkSize
            }
        case .sizeWhitespace:
            if byte == WireByte.semicolon {
                state = .extensionNameStart
            } else if !isWhitespace {
                return .invalidChunkSize
            }
        case .extensionNameStart:
            if WireByte.isToken(byte) {
                state = .extensionName
            } else if !isWhitespace {
                return .invalidChunkExtension
            }
        case .extensionName:
            if WireByte.isToken(byte) { return nil }
            return afterExtensionPart(byte, whitespace: .extensionNameWhitespace, allowsEquals: true)
        case .extensionNameWhitespace:
            if isWhitespace { return nil }
            if byte == WireByte.equals {
                state = .extensionValueStart
            } else if byte == WireByte.semicolon {
                state = .extensionNameStart
            } else {
                return .invalidChunkExtension
            }
        case .extensionValueStart:
            if byte == WireByte.quote {
                state = .extensionQuoted
            } else if WireByte.isToken(byte) {
                state = .extensionToken
            } else if !isWhitespace {
                return .invalidChunkExtension
            }
        case .extensionToken:
            if WireByte.isToken(byte) { return nil }
            return afterExtensionPart(byte, whitespace: .extensionValueWhitespace, allowsEquals: false)
        case .extensionQuoted:
            // qdtext: HTAB / SP / VCHAR except DQUOTE and "\" / obs-text.
            if byte == WireByte.quote {
                state = .extensionValueEnd
            } else if byte == WireByte.backslash {
                state = .extensionQuotedPair
            } else if !WireByte.isFieldValue(byte) {
                return .invalidChunkExtension
            }
        case .extensionQuotedPair:
            guard WireByte.isFieldValue(byte) else { return .invalidChunkExtension }
            state = .extensionQuoted
        case .extensionValueEnd:
            return afterExtensionPart(byte, whitespace: .extensionValueWhitespace, allowsEquals: false)
        case .extensionValueWhitespace:
            if byte == WireByte.semicolon {
                state = .extensionNameStart
            } else if !isWhitespace {
                return .invalidChunkExtension
            }
        case .sizeLineLF:
            guard byte == WireByte.lf else { return .bareCR }
            if size == 0 {
                state = .trailerLineStart
                trailerLength = 0
            } else {
                state = .data
                remaining = size
            }
        default:
            return nil
        }
        return nil
    }

    /// The byte after an extension name or value: CR ends the line, ";" starts another extension,
    /// "=" (after a name) a value, whitespace may only come before ";" (or "=").
    private mutating func afterExtensionPart(_ byte: UInt8, whitespace: State, allowsEquals: Bool) -> ChunkedError? {
        if byte == WireByte.cr {
            state = .sizeLineLF
        } else if byte == WireByte.semicolon {
            state = .extensionNameStart
        } else if allowsEquals, byte == WireByte.equals {
            state = .extensionValueStart
        } else if WireByte.isWhitespace(byte) {
            state = whitespace
        } else {
            return .invalidChunkExtension
        }
        return nil
    }

    /// One byte of the trailer section: field lines (`name ":" value CRLF`), then CRLF.
    private mutating func trailer(_ byte: UInt8) -> ChunkedError? {
        if state != .finalLF, !(state == .trailerLineStart && byte == WireByte.cr) {
            trailerLength += 1
            if trailerLength > maxTrailerSize { return .trailersTooLarge }
            trailerBytes.append(byte)
        }
        switch state {
        case .trailerLineStart:
            if byte == WireByte.cr {
                state = .finalLF
            } else if byte == WireByte.lf {
                return .bareLF
            } else if WireByte.isToken(byte) {
                state = .trailerName
            } else {
                return .invalidTrailer  // obs-fold, whitespace or an empty name
            }
        case .trailerName:
            if byte == WireByte.colon {
                state = .trailerValue
            } else if byte == WireByte.lf {
                return .bareLF
            } else if !WireByte.isToken(byte) {
                return .invalidTrailer
            }
        case .trailerValue:
            if byte == WireByte.cr {
                state = .trailerLF
            } else if byte == WireByte.lf {
                return .bareLF
            } else if !WireByte.isFieldValue(byte) {
                return .invalidTrailer
            }
        case .trailerLF:
            guard byte == WireByte.lf else { return .bareCR }
            state = .trailerLineStart
        case .finalLF:
            guard byte == WireByte.lf else { return .bareCR }
            state = .done
        default:
            return nil
        }
        return nil
    }
}
