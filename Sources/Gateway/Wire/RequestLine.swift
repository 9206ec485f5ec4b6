import NIOHTTP1

/// A request line (RFC 9112 §3): `method SP request-target SP HTTP-version`, checked in place.
struct RequestLine {
    let method: HTTPMethod
    /// The request target's bytes.
    let target: Range<Int>
    let version: HTTPVersion

    /// Parses `line` (without its CRLF). Like llhttp, more than one SP between the parts is
    /// tolerated; anything else off the grammar is refused: a method NIO has no case for, a target
    /// with a control byte, SP or a byte >= 0x80, an asterisk-form or authority-form target, or a
    /// version other than HTTP/1.0 and HTTP/1.1.
    init(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) throws(WireViolation) {
        let end = line.upperBound
        var index = line.lowerBound
        while index < end, WireByte.isToken(bytes[index]) { index += 1 }
        let methodRange = line.lowerBound..<index
        guard !methodRange.isEmpty, index < end, bytes[index] == WireByte.space else {
            throw WireViolation("malformed request line")
        }
        guard let method = HTTPMethod.fromWire(bytes, methodRange) else { throw WireViolation("unknown method") }
        while index < end, bytes[index] == WireByte.space { index += 1 }

        let targetStart = index
        while index < end, bytes[index] != WireByte.space {
            guard WireByte.isTarget(bytes[index]) else { throw WireViolation("invalid byte in the request target") }
            index += 1
        }
        let target = targetStart..<index
        guard !target.isEmpty, index < end else { throw WireViolation("malformed request line") }
        try Self.checkForm(bytes, target)
        while index < end, bytes[index] == WireByte.space { index += 1 }

        guard end - index == 8, let version = HTTPVersion.fromWire(bytes, at: index) else {
            throw WireViolation("unsupported or malformed HTTP version")
        }
        self.method = method
        self.target = target
        self.version = version
    }

    /// Accepts origin-form (`/path`) and absolute-form (`scheme://...`) targets, the two forms the
    /// gateway routes; asterisk-form (`*`) and authority-form (`host:port`, for CONNECT) are refused.
    private static func checkForm(_ bytes: UnsafeRawBufferPointer, _ target: Range<Int>) throws(WireViolation) {
        let first = bytes[target.lowerBound]
        if first == ASCII.slash { return }
        // RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://".
        guard isLetter(first) else {
            throw WireViolation(first == ASCII.asterisk ? "asterisk-form request target" : "invalid request target")
        }
        var index = target.lowerBound + 1
        while index < target.upperBound, isSchemeByte(bytes[index]) { index += 1 }
        guard target.upperBound - index >= 3, bytes[index] == ASCII.colon, bytes[index + 1] == ASCII.slash,
            bytes[index + 2] == ASCII.slash
        else { throw WireViolation("invalid request target") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(ASCII.upper(byte))
    }

    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || WireByte.isDigit(byte) || byte == 0x2B || byte == 0x2D || byte == 0x2E  // + - .
    }
}
