import NIOCore
import NIOHTTP1

/// The body of one HTTP/1 message as its bytes arrive, framed by a length or by chunks: the half
/// of a message decoder the client-side and the upstream-side decoders share.
///
/// It hands out slices of what was read, never copies: the data (chunk framing removed), or, when
/// it relays, the bytes exactly as received (chunk framing included). Pure: tested without a channel.
struct MessageBodyReader {
    /// What one read gave: body pieces (usually one, so no array is made for it) and whether the
    /// body is complete.
    struct Read {
        var first: ByteBuffer?
        var rest: [ByteBuffer] = []
        var finished: Bool
    }

    private enum Framing {
        case length(remaining: Int)
        case chunked(ChunkedDecoder)
    }

    private var framing: Framing
    /// Whether pieces are the bytes as received rather than the decoded data.
    let relaysAsReceived: Bool

    /// A body of `length` bytes.
    init(length: Int, relaysAsReceived: Bool = false) {
        framing = .length(remaining: length)
        self.relaysAsReceived = relaysAsReceived
    }

    /// A chunked body whose trailers may take `maxTrailerSize` bytes.
    init(chunkedWithMaxTrailerSize maxTrailerSize: Int, relaysAsReceived: Bool = false) {
        framing = .chunked(ChunkedDecoder(maxTrailerSize: maxTrailerSize))
        self.relaysAsReceived = relaysAsReceived
    }

    /// The trailer fields of a finished chunked body, if it had any.
    var trailers: HTTPHeaders? {
        if case .chunked(let decoder) = framing { return decoder.trailers }
        return nil
    }

    /// Reads what it can of the body from the front of `bytes` (moving its reader index past it);
    /// bytes after the body's end stay. Throws when a chunked body breaks its syntax.
    mutating func read(_ bytes: inout ByteBuffer) throws(ChunkedError) -> Read {
        switch framing {
        case .length(let remaining):
            let count = Swift.min(remaining, bytes.readableBytes)
            framing = .length(remaining: remaining - count)
            return Read(first: count > 0 ? bytes.readSlice(length: count) : nil, finished: count == remaining)
        case .chunked(var decoder):
            var read = Read(finished: false)
            let result: (consumed: Int, finished: Bool)
            if relaysAsReceived {
                result = try decoder.decode(bytes) { _ in }
                if result.consumed > 0 { read.first = bytes.getSlice(at: bytes.readerIndex, length: result.consumed) }
            } else {
                result = try decoder.decode(bytes) { data in
                    if read.first == nil { read.first = data } else { read.rest.append(data) }
                }
            }
            bytes.moveReaderIndex(forwardBy: result.consumed)
            framing = .chunked(decoder)
            read.finished = result.finished
            return read
        }
    }
}

/// Bytes read from a connection and not consumed yet, held without copying: a read is kept as it
/// is, and appended to only while an incomplete head or chunk line waits for more.
struct UnconsumedBytes {
    /// The bytes; nil when everything read has been consumed.
    private(set) var bytes: ByteBuffer?

    /// Adds what was just read.
    mutating func append(_ incoming: ByteBuffer) {
        guard var existing = bytes, existing.readableBytes > 0 else {
            bytes = incoming
            return
        }
        bytes = nil  // one reference while appending: no copy-on-write of the whole buffer
        var incoming = incoming
        existing.writeBuffer(&incoming)
        bytes = existing
    }

    /// Keeps what is left of `rest` for the next round (nothing when all of it was used).
    mutating func keep(_ rest: ByteBuffer) {
        bytes = rest.readableBytes > 0 ? rest : nil
    }

    /// Drops everything (after an error).
    mutating func clear() {
        bytes = nil
    }
}
