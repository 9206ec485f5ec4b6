/// Why a chunked body (RFC 9112 §7.1) could not be decoded; the message is broken and its
/// connection must close.
enum ChunkedError: Error, Hashable, Sendable {
    /// A chunk size that is not hex digits only (empty, a sign, whitespace around it, ...).
    case invalidChunkSize
    /// A chunk size too large for an `Int`.
    case chunkSizeOverflow
    /// A chunk extension off the grammar (`;name`, `;name=token` or `;name="quoted"`).
    case invalidChunkExtension
    /// A chunk-size line longer than the decoder's bound.
    case chunkLineTooLong
    /// Chunk data not followed by CRLF.
    case missingCRLFAfterData
    /// An LF without the CR before it.
    case bareLF
    /// A CR not followed by LF.
    case bareCR
    /// A trailer line that is not a valid field line.
    case invalidTrailer
    /// A trailer section larger than the decoder's bound.
    case trailersTooLarge
}
