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

    /// Headers that are never put into a job.
    static let droppedHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "content-length"]

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
        out.writeString("{\"id\":")
        JSONString.write(id, into: &out)
        out.writeString(",\"method\":")
        JSONString.write(request.method.rawValue, into: &out)
        out.writeString(",\"path\":")
        JSONString.write(request.path, into: &out)
        out.writeString(",\"query\":")
        Self.writeQuery(request.query, into: &out)
        out.writeString(",\"headers\":{")
        var first = true
        var seen: [String: Int] = [:]
        var merged: [(String, String)] = []
        for header in request.headers {
            let name = header.name.lowercased()
            if Self.droppedHeaders.contains(name) { continue }
            if let index = seen[name] {
                merged[index].1 += ", " + header.value
            } else {
                seen[name] = merged.count
                merged.append((name, header.value))
            }
        }
        for (name, value) in merged {
            if !first { out.writeString(",") }
            first = false
            JSONString.write(name, into: &out)
            out.writeString(":")
            JSONString.write(value, into: &out)
        }
        out.writeString("},\"params\":{")
        for (index, key) in request.captures.keys.sorted().enumerated() {
            if index > 0 { out.writeString(",") }
            JSONString.write(key, into: &out)
            out.writeString(":")
            JSONString.write(request.captures[key] ?? "", into: &out)
        }
        out.writeString("},\"consumer\":")
        if let consumer = request.consumer {
            out.writeString("{\"id\":")
            JSONString.write(consumer.id, into: &out)
            out.writeString(",\"username\":")
            Self.writeOptional(consumer.username, into: &out)
            out.writeString(",\"custom_id\":")
            Self.writeOptional(consumer.customID, into: &out)
            out.writeString("}")
        } else {
            out.writeString("null")
        }
        if request.body.readableBytes == 0 {
            out.writeString(",\"body\":null")
        } else if Self.isJSON(contentType: request.headers.first(name: "content-type")) {
            guard JSONValidator.isValid(request.body.readableBytesView) else { throw .invalidJSONBody }
            out.writeString(",\"body\":")
            var body = request.body
            out.writeBuffer(&body)
        } else {
            out.writeString(",\"body_base64\":")
            JSONString.write(Data(request.body.readableBytesView).base64EncodedString(), into: &out)
        }
        out.writeString(",\"received_at\":\"")
        Self.writeRFC3339(receivedAt, into: &out)
        out.writeString("\"")
        out.writeString("}")
        return out
    }

    /// The query as Kong's `get_query` shapes it: a string per name, an array for repeated names,
    /// `true` for a name without `=`; names and values percent-decoded (`+` is a space).
    static func writeQuery(_ query: String?, into out: inout ByteBuffer) {
        var order: [String] = []
        var values: [String: [String?]] = [:]
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            guard !name.isEmpty else { continue }
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(parts.count == 2 ? decode(parts[1]) : nil)
        }
        out.writeString("{")
        for (index, name) in order.enumerated() {
            if index > 0 { out.writeString(",") }
            JSONString.write(name, into: &out)
            out.writeString(":")
            let list = values[name] ?? []
            if list.count == 1 {
                writeQueryValue(list[0], into: &out)
            } else {
                out.writeString("[")
                for (position, value) in list.enumerated() {
                    if position > 0 { out.writeString(",") }
                    writeQueryValue(value, into: &out)
                }
                out.writeString("]")
            }
        }
        out.writeString("}")
    }

    private static func writeQueryValue(_ value: String?, into out: inout ByteBuffer) {
        if let value { JSONString.write(value, into: &out) } else { out.writeString("true") }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    private static func writeOptional(_ value: String?, into out: inout ByteBuffer) {
        if let value { JSONString.write(value, into: &out) } else { out.writeString("null") }
    }

    /// RFC 3339 with milliseconds, in UTC: `2026-11-23T14:55:02.123Z`.
    static func rfc3339(_ date: Date) -> String {
        var buffer = ByteBuffer()
        writeRFC3339(date, into: &buffer)
        return String(buffer: buffer)
    }

    /// Writes ``rfc3339(_:)``'s text into `buffer`, digit by digit with `gmtime_r`: a date formatter
    /// (or building strings) per job would cost more than the rest of the envelope.
    static func writeRFC3339(_ date: Date, into buffer: inout ByteBuffer) {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millis = min(999, max(0, Int((interval - Double(seconds)) * 1000)))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = max(0, value)
            while divisor > 0 {
                buffer.writeInteger(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        buffer.writeInteger(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        buffer.writeInteger(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        buffer.writeInteger(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        buffer.writeInteger(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        buffer.writeInteger(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        buffer.writeInteger(UInt8(ascii: "."))
        digits(millis, 3)
        buffer.writeInteger(UInt8(ascii: "Z"))
    }
}
