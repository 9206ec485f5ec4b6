import Foundation
import NIOCore
import NIOHTTP1

/// The JSON body of a job published for a request routed to an `amqp` service (DESIGN §7):
/// `{"id", "method", "path", "query", "headers", "params", "consumer", "body" | "body_base64", "received_at"}`.
///
/// A JSON request body is embedded verbatim as a JSON value (numbers keep their exact text); any other
/// body travels as base64. Hop-by-hop headers and `Authorization` never reach the queue.
public struct JobEnvelope: Sendable {
    /// The job id (also the message's `message_id`).
    public let id: String
    /// The request as the dispatcher received it.
    public let request: DispatchRequest
    /// When the gateway received the request.
    public let receivedAt: Date

    /// Whether a header is never put into a job: credentials, and the body's length (the envelope
    /// is the body now). Any case.
    static func isDropped(_ name: String) -> Bool {
        switch name.utf8.count {
        case 6: return ASCII.equalsIgnoringCase(name, "cookie")
        case 13: return ASCII.equalsIgnoringCase(name, "authorization")
        case 14: return ASCII.equalsIgnoringCase(name, "content-length")
        case 19: return ASCII.equalsIgnoringCase(name, "proxy-authorization")
        default: return false
        }
    }

    /// Creates an envelope for a request.
    public init(id: String, request: DispatchRequest, receivedAt: Date = Date()) {
        self.id = id
        self.request = request
        self.receivedAt = receivedAt
    }

    /// Why a request cannot become a job.
    public enum EncodingError: Error, Equatable {
        /// The body says it is JSON but does not parse.
        case invalidJSONBody
    }

    /// Whether a Content-Type names JSON (`application/json` or any `+json` type), compared without
    /// allocating (it is asked for every job).
    public static func isJSON(contentType: String?) -> Bool {
        guard var contentType else { return false }
        return contentType.withUTF8 { bytes in
            var end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
            var start = bytes.startIndex
            while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
            while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
            let mediaType = UnsafeBufferPointer(rebasing: bytes[start..<end])
            return equalsIgnoringCase(mediaType, "application/json")
                || (mediaType.count > 5 && equalsIgnoringCase(UnsafeBufferPointer(rebasing: mediaType.suffix(5)), "+json"))
        }
    }

    /// ASCII case-insensitive equality of `bytes` with the lower-case `expected`.
    private static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ expected: StaticString) -> Bool {
        guard bytes.count == expected.utf8CodeUnitCount else { return false }
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            if lower != expected.utf8Start[index] { return false }
        }
        return true
    }

    /// The envelope's JSON bytes.
    public func encoded() throws(EncodingError) -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(512 + request.body.readableBytes * 4 / 3)
        out.writeStaticString("{\"id\":")
        JSONString.write(id, into: &out)
        out.writeStaticString(",\"method\":")
        JSONString.write(request.method.rawValue, into: &out)
        out.writeStaticString(",\"path\":")
        JSONString.write(request.path, into: &out)
        out.writeStaticString(",\"query\":")
        Self.writeQuery(request.query, into: &out)
        out.writeStaticString(",\"headers\":{")
        Self.writeHeaders(request.headers, into: &out)
        out.writeStaticString("},\"params\":{")
        if !request.captures.isEmpty {
            for (index, key) in request.captures.keys.sorted().enumerated() {
                if index > 0 { out.writeStaticString(",") }
                JSONString.write(key, into: &out)
                out.writeStaticString(":")
                JSONString.write(request.captures[key] ?? "", into: &out)
            }
        }
        out.writeStaticString("},\"consumer\":")
        if let consumer = request.consumer {
            out.writeStaticString("{\"id\":")
            JSONString.write(consumer.id, into: &out)
            out.writeStaticString(",\"username\":")
            Self.writeOptional(consumer.username, into: &out)
            out.writeStaticString(",\"custom_id\":")
            Self.writeOptional(consumer.customID, into: &out)
            out.writeStaticString("}")
        } else {
            out.writeStaticString("null")
        }
        if request.body.readableBytes == 0 {
            out.writeStaticString(",\"body\":null")
        } else if Self.isJSON(contentType: request.headers.first(name: "content-type")) {
            guard JSONValidator.isValid(request.body.readableBytesView) else { throw .invalidJSONBody }
            out.writeStaticString(",\"body\":")
            var body = request.body
            out.writeBuffer(&body)
        } else {
            out.writeStaticString(",\"body_base64\":")
            JSONString.write(Data(request.body.readableBytesView).base64EncodedString(), into: &out)
        }
        out.writeStaticString(",\"received_at\":\"")
        Self.writeRFC3339(receivedAt, into: &out)
        out.writeStaticString("\"")
        out.writeStaticString("}")
        return out
    }

    /// The headers as one JSON object: lower-case names, repeated names joined with ", " in the
    /// order they came (as Kong's `get_headers` joins them), dropped ones left out. Duplicates are
    /// found by a linear scan while there are few headers (the common case, no hashing), by a
    /// dictionary beyond that, so that a request with thousands of tiny headers stays linear.
    static func writeHeaders(_ headers: HTTPHeaders, into out: inout ByteBuffer) {
        // Names as they came (lower-cased only when written), so that the common case allocates no
        // string per header.
        var merged: [(name: String, value: String)] = []
        merged.reserveCapacity(headers.count)
        var index: [String: Int]? = headers.count > 16 ? [:] : nil
        for header in headers {
            if isDropped(header.name) { continue }
            let existing: Int?
            let key = index == nil ? "" : ASCII.lowercased(header.name)
            if let lookup = index {
                existing = lookup[key]
            } else {
                existing = merged.firstIndex { ASCII.equalsIgnoringCase($0.name, header.name) }
            }
            if let existing {
                merged[existing].value += ", " + header.value
            } else {
                index?[key] = merged.count
                merged.append((header.name, header.value))
            }
        }
        for (position, header) in merged.enumerated() {
            if position > 0 { out.writeInteger(UInt8(ascii: ",")) }
            JSONString.write(header.name, lowercasingASCII: true, into: &out)
            out.writeInteger(UInt8(ascii: ":"))
            JSONString.write(header.value, into: &out)
        }
    }

    /// The query as Kong's `get_query` shapes it: a string per name, an array for repeated names,
    /// `true` for a name without `=`; names and values percent-decoded (`+` is a space).
    static func writeQuery(_ query: String?, into out: inout ByteBuffer) {
        guard let query, !query.isEmpty else {
            out.writeStaticString("{}")
            return
        }
        var order: [String] = []
        var values: [String: [String?]] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            guard !name.isEmpty else { continue }
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(parts.count == 2 ? decode(parts[1]) : nil)
        }
        out.writeStaticString("{")
        for (index, name) in order.enumerated() {
            if index > 0 { out.writeStaticString(",") }
            JSONString.write(name, into: &out)
            out.writeStaticString(":")
            let list = values[name] ?? []
            if list.count == 1 {
                writeQueryValue(list[0], into: &out)
            } else {
                out.writeStaticString("[")
                for (position, value) in list.enumerated() {
                    if position > 0 { out.writeStaticString(",") }
                    writeQueryValue(value, into: &out)
                }
                out.writeStaticString("]")
            }
        }
        out.writeStaticString("}")
    }

    private static func writeQueryValue(_ value: String?, into out: inout ByteBuffer) {
        if let value { JSONString.write(value, into: &out) } else { out.writeStaticString("true") }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    private static func writeOptional(_ value: String?, into out: inout ByteBuffer) {
        if let value { JSONString.write(value, into: &out) } else { out.writeStaticString("null") }
    }

    /// RFC 3339 with milliseconds, in UTC: `2026-11-23T14:55:02.123Z`.
    static func rfc3339(_ date: Date) -> String {
        var buffer = ByteBuffer()
        writeRFC3339(date, into: &buffer)
        return String(buffer: buffer)
    }

    /// Writes ``rfc3339(_:)``'s text into `buffer`: digits into a stack buffer from `gmtime_r`, then one
    /// write (a date formatter, or building strings, per job would cost more than the rest of the envelope).
    static func writeRFC3339(_ date: Date, into buffer: inout ByteBuffer) {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millis = min(999, max(0, Int((interval - Double(seconds)) * 1000)))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // "YYYY-MM-DDTHH:MM:SS.mmmZ": 24 bytes.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { text in
            var position = 0
            func digits(_ value: Int, _ width: Int) {
                var rest = max(0, value)
                for offset in stride(from: width - 1, through: 0, by: -1) {
                    text[position + offset] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                position += width
            }
            func literal(_ byte: Unicode.Scalar) {
                text[position] = UInt8(ascii: byte)
                position += 1
            }
            digits(Int(parts.tm_year) + 1900, 4)
            literal("-")
            digits(Int(parts.tm_mon) + 1, 2)
            literal("-")
            digits(Int(parts.tm_mday), 2)
            literal("T")
            digits(Int(parts.tm_hour), 2)
            literal(":")
            digits(Int(parts.tm_min), 2)
            literal(":")
            digits(Int(parts.tm_sec), 2)
            literal(".")
            digits(millis, 3)
            literal("Z")
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: text[0..<position])))
        }
    }
}
