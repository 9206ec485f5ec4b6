/// Why some bytes are not valid HTTP/1 syntax; the parsers turn it into a `HeadFailure` with the
/// status that fits their side (400 for a client, 502 for an upstream).
struct WireViolation: Error, Hashable, Sendable {
    /// A short explanation for the logs.
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
