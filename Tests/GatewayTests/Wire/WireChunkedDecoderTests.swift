import NIOCore
import Testing

@testable import Gateway

/// `ChunkedDecoder`: data slices, extensions, trailers, every error, splits, exact `consumed`.
@Suite struct WireChunkedDecoderTests {
    /// What decoding some bytes came to.
    struct Result: Equatable, CustomStringConvertible {
        var data: [UInt8] = []
        /// The consumed bytes, in order (what a pass-through relay would forward).
        var relayed: [UInt8] = []
        var finished = false
        var error: ChunkedError?
        var dataCalls = 0
        /// The trailer fields, as `name: value`.
        var trailers: [String] = []

        var description: String {
            "data \(String(decoding: data, as: UTF8.self).debugDescription), relayed \(relayed.count), "
                + "finished \(finished), error \(String(describing: error))"
        }
    }

    /// Feeds `bytes` in `pieces` as a proxy would: unconsumed bytes stay in front of the next read.
    static func decode(
        _ bytes: [UInt8],
        pieces: [Int]? = nil,
        maxTrailerSize: Int = 1024,
        maxChunkLine: Int = 4096
    ) -> Result {
        var decoder = ChunkedDecoder(maxTrailerSize: maxTrailerSize, maxChunkLine: maxChunkLine)
        var result = Result()
        var pending = ByteBuffer()
        var offset = 0
        for piece in pieces ?? [bytes.count] {
            pending.writeBytes(bytes[offset..<(offset + piece)])
            offset += piece
            do {
                let (consumed, finished) = try decoder.decode(pending) { slice in
                    result.data += Array(slice.readableBytesView)
                    result.dataCalls += 1
                }
                #expect(consumed <= pending.readableBytes)
                result.relayed += Array(pending.readableBytesView.prefix(consumed))
                pending.moveReaderIndex(forwardBy: consumed)
                if finished {
                    result.finished = true
                    result.trailers = decoder.trailers.map { $0.map { "\($0.name): \($0.value)" } } ?? []
                    #expect(decoder.isFinished)
                    return result
                }
                #expect(pending.readableBytes == 0, "everything is consumed until the body ends")
            } catch {
                result.error = error
                return result
            }
        }
        return result
    }

    /// Decodes whole, byte by byte and in random splits; all but the callback count must agree.
    static func decodeEveryWay(_ text: String, maxTrailerSize: Int = 1024, maxChunkLine: Int = 4096) -> Result {
        let bytes = Wire.bytes(text)
        let whole = decode(bytes, maxTrailerSize: maxTrailerSize, maxChunkLine: maxChunkLine)
        for pieces in Wire.splittings(of: bytes.count) {
            var split = decode(bytes, pieces: pieces, maxTrailerSize: maxTrailerSize, maxChunkLine: maxChunkLine)
            if whole.error != nil {
                // What came before the error depends on the reads; the error itself may not.
                #expect(split.error == whole.error, "pieces \(pieces)")
                continue
            }
            split.dataCalls = whole.dataCalls
            #expect(split == whole, "pieces \(pieces)")
        }
        return whole
    }

    @Test func chunksAreHandedOutAsSlices() {
        let body = "5\r\nhello\r\n7\r\n, world\r\nA\r\n0123456789\r\n0\r\n\r\n"
        let result = Self.decodeEveryWay(body)
        #expect(result.error == nil)
        #expect(result.finished)
        #expect(String(decoding: result.data, as: UTF8.self) == "hello, world0123456789")
        #expect(result.relayed == Wire.bytes(body))
        #expect(result.dataCalls == 3)
    }

    @Test func slicesShareTheInputsStorage() throws {
        var decoder = ChunkedDecoder()
        let input = ByteBuffer(string: "3\r\nabc\r\n")
        var slices: [ByteBuffer] = []
        _ = try decoder.decode(input) { slices.append($0) }
        let slice = try #require(slices.first)
        let same = slice.withUnsafeReadableBytes { sliceBytes in
            input.withUnsafeReadableBytes { inputBytes in sliceBytes.baseAddress == inputBytes.baseAddress.map { $0 + 3 } }
        }
        #expect(same)
    }

    @Test func hexDigitsAnyCaseAndLeadingZeros() {
        let result = Self.decodeEveryWay("0000a\r\n0123456789\r\n1F\r\n" + String(repeating: "z", count: 31) + "\r\n000\r\n\r\n")
        #expect(result.error == nil)
        #expect(result.data.count == 41)
        #expect(result.finished)
    }

    @Test(arguments: [
        "5;name\r\nhello\r\n0\r\n\r\n",
        "5;name=value\r\nhello\r\n0\r\n\r\n",
        "5;a=1;b;c=\"quoted ; string\"\r\nhello\r\n0;last=yes\r\n\r\n",
        "5 ;a\r\nhello\r\n0\r\n\r\n",
        "5\t; a = \"x\\\"y\" ; b\r\nhello\r\n0\r\n\r\n",
        "5;a=\"caf\u{E9}\"\r\nhello\r\n0\r\n\r\n",
    ])
    func extensionsAreSkipped(_ body: String) {
        let result = Self.decodeEveryWay(body)
        #expect(result.error == nil)
        #expect(result.finished)
        #expect(result.data == Wire.bytes("hello"))
        #expect(result.relayed == Wire.bytes(body))
    }

    @Test func trailersAreKept() {
        let body = "3\r\nabc\r\n0\r\nX-Checksum: 9a0364b9\r\nX-Empty:\r\nX-Tab:\ta b \r\n\r\n"
        let result = Self.decodeEveryWay(body)
        #expect(result.error == nil)
        #expect(result.finished)
        #expect(result.data == Wire.bytes("abc"))
        #expect(result.relayed == Wire.bytes(body))
        #expect(result.trailers == ["X-Checksum: 9a0364b9", "X-Empty: ", "X-Tab: a b"])
        #expect(Self.decodeEveryWay("0\r\n\r\n").trailers.isEmpty)
    }

    @Test func consumedStopsAtTheEndOfTheBody() {
        let body = "3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"
        let next = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n"
        let bytes = Wire.bytes(body + next)
        for pieces in Wire.splittings(of: bytes.count) {
            let result = Self.decode(bytes, pieces: pieces)
            #expect(result.finished)
            #expect(result.relayed == Wire.bytes(body), "pieces \(pieces)")
        }
        var decoder = ChunkedDecoder()
        let buffer = ByteBuffer(bytes: bytes)
        let (consumed, finished) = (try? decoder.decode(buffer) { _ in }) ?? (0, false)
        #expect(finished)
        #expect(consumed == body.utf8.count)
        // Once finished, nothing more is taken.
        let again = (try? decoder.decode(buffer) { _ in Issue.record("no data after the end") }) ?? (-1, false)
        #expect(again == (0, true))
    }

    @Test func anEmptyBody() {
        let result = Self.decodeEveryWay("0\r\n\r\n")
        #expect(result.finished)
        #expect(result.data.isEmpty)
        #expect(result.dataCalls == 0)
    }

    @Test func incompleteBodiesWaitForMore() {
        let body = Wire.bytes("5\r\nhello\r\n0\r\nX: y\r\n\r\n")
        for length in 0..<body.count {
            let result = Self.decode(Array(body[..<length]))
            #expect(result.error == nil)
            #expect(!result.finished, "\(length) bytes")
        }
    }

    @Test(arguments: [
        ("\r\nhello\r\n", ChunkedError.invalidChunkSize),
        ("+5\r\nhello\r\n", .invalidChunkSize),
        ("-5\r\nhello\r\n", .invalidChunkSize),
        (" 5\r\nhello\r\n", .invalidChunkSize),
        ("5 \r\nhello\r\n", .invalidChunkSize),
        ("5\t\r\nhello\r\n", .invalidChunkSize),
        ("0x5\r\nhello\r\n", .invalidChunkSize),
        ("g\r\n", .invalidChunkSize),
        (";a\r\nhello\r\n", .invalidChunkSize),
        ("5 5\r\nhello\r\n", .invalidChunkSize),
        ("8000000000000000\r\n", .chunkSizeOverflow),
        ("10000000000000000\r\n", .chunkSizeOverflow),
        ("5;\r\nhello\r\n", .invalidChunkExtension),
        ("5;=v\r\nhello\r\n", .invalidChunkExtension),
        ("5;a=\r\nhello\r\n", .invalidChunkExtension),
        ("5;a \r\nhello\r\n", .invalidChunkExtension),
        ("5;a=b \r\nhello\r\n", .invalidChunkExtension),
        ("5;a b\r\nhello\r\n", .invalidChunkExtension),
        ("5;a=\"open\r\nhello\r\n", .invalidChunkExtension),
        ("5;a=\"x\u{1}\"\r\nhello\r\n", .invalidChunkExtension),
        ("5;a=\"x\"y\r\nhello\r\n", .invalidChunkExtension),
        ("5;a=b=c\r\nhello\r\n", .invalidChunkExtension),
        ("5;a@b\r\nhello\r\n", .invalidChunkExtension),
        ("5\r\nhelloX\r\n0\r\n\r\n", .missingCRLFAfterData),
        ("5\r\nhello\r0\r\n\r\n", .bareCR),
        ("5\r\nhello\n0\r\n\r\n", .bareLF),
        ("5\nhello\r\n0\r\n\r\n", .bareLF),
        ("5;a\nhello\r\n", .bareLF),
        ("5;a=\"x\nhello\r\n", .bareLF),
        ("5\rhello\r\n", .bareCR),
        ("0\r\n\n", .bareLF),
        ("0\r\n\rX", .bareCR),
        ("0\r\nX: a\n\r\n", .bareLF),
        ("0\r\nX: a\rb\r\n\r\n", .bareCR),
        ("0\r\nX\n", .bareLF),
        ("0\n\r\n", .bareLF),
        ("0\r\n X: a\r\n\r\n", .invalidTrailer),
        ("0\r\nX: a\r\n\tb\r\n\r\n", .invalidTrailer),
        ("0\r\n: a\r\n\r\n", .invalidTrailer),
        ("0\r\nBad Name: a\r\n\r\n", .invalidTrailer),
        ("0\r\nBad : a\r\n\r\n", .invalidTrailer),
        ("0\r\nX: a\u{0}b\r\n\r\n", .invalidTrailer),
        ("0\r\nX: a\u{7F}\r\n\r\n", .invalidTrailer),
        ("0\r\nNoColon\r\n\r\n", .invalidTrailer),
    ])
    func errors(_ body: String, _ error: ChunkedError) {
        #expect(Self.decodeEveryWay(body).error == error)
    }

    @Test func chunkLineBound() {
        let line = "5;" + String(repeating: "a", count: 4096 - 4) + "\r\n"  // exactly 4096 bytes
        #expect(line.utf8.count == 4096)
        #expect(Self.decodeEveryWay(line + "hello\r\n0\r\n\r\n").error == nil)
        let longer = "5;" + String(repeating: "a", count: 4096 - 3) + "\r\n"
        #expect(Self.decodeEveryWay(longer + "hello\r\n0\r\n\r\n").error == .chunkLineTooLong)
        #expect(Self.decodeEveryWay("0;x=y\r\n\r\n", maxChunkLine: 6).error == .chunkLineTooLong)
        #expect(Self.decodeEveryWay("0;x=y\r\n\r\n", maxChunkLine: 7).error == nil)
        // A size with many leading zeros is bounded by the same limit.
        #expect(Self.decodeEveryWay(String(repeating: "0", count: 5000) + "1\r\nx\r\n0\r\n\r\n").error == .chunkLineTooLong)
    }

    @Test func largestSizeIsAccepted() {
        let result = Self.decodeEveryWay("7fffffffffffffff\r\nabc")
        #expect(result.error == nil)
        #expect(result.data == Wire.bytes("abc"))
        #expect(!result.finished)
    }

    @Test func trailerBound() {
        let body = "0\r\nX-Long: 12345\r\n\r\n"  // trailer section: 15 bytes before the final CRLF
        #expect(Self.decodeEveryWay(body, maxTrailerSize: 15).error == nil)
        #expect(Self.decodeEveryWay(body, maxTrailerSize: 14).error == .trailersTooLarge)
        #expect(Self.decodeEveryWay("0\r\n\r\n", maxTrailerSize: 0).finished)
    }

    @Test func anErrorIsThrownAgain() {
        var decoder = ChunkedDecoder()
        #expect(throws: ChunkedError.invalidChunkSize) { try decoder.decode(ByteBuffer(string: "x\r\n")) { _ in } }
        #expect(throws: ChunkedError.invalidChunkSize) { try decoder.decode(ByteBuffer(string: "5\r\n")) { _ in } }
    }
}
