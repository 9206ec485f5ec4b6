import Gateway
import NIOCore
import NIOHTTP1

/// A stored first response: what a repeat of the request gets back.
public struct IdempotencyRecord: Sendable, Equatable {
    /// Headers that belong to one transfer, not to the response: never stored, never replayed.
    static let transferHeaders: Set<String> = [
        "connection", "keep-alive", "transfer-encoding", "content-length", "x-request-id", "date", "te", "trailer",
        "upgrade", "proxy-connection",
    ]

    /// The status code.
    public let status: Int
    /// The headers as the destination produced them (transfer headers removed).
    public let headers: [(String, String)]
    /// The whole body.
    public let body: ByteBuffer

    /// A record of a response.
    public init(status: Int, headers: [(String, String)], body: ByteBuffer) {
        self.status = status
        self.headers = headers.filter { !Self.transferHeaders.contains($0.0.lowercased()) }
        self.body = body
    }

    public static func == (lhs: IdempotencyRecord, rhs: IdempotencyRecord) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.elementsEqual(rhs.headers) { $0 == $1 }
    }

    /// Bytes the record holds (for the memory store's bound).
    var size: Int { body.readableBytes + headers.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 } + 16 }

    /// The replay: the same status, headers and body, marked `Idempotent-Replayed: true`.
    public var replay: LocalResponse {
        var headers = HTTPHeaders(self.headers)
        headers.replaceOrAdd(name: "Idempotent-Replayed", value: "true")
        return LocalResponse(status: HTTPResponseStatus(statusCode: status), headers: headers, body: body)
    }

    // MARK: Binary form (the Redis value)

    static let formatVersion: UInt8 = 1

    /// `version u8, status u16, header count u16, (name u16+bytes, value u32+bytes)*, body u32+bytes`.
    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.formatVersion)
        buffer.writeInteger(UInt16(clamping: status))
        buffer.writeInteger(UInt16(clamping: headers.count))
        for (name, value) in headers.prefix(Int(UInt16.max)) {
            let nameBytes = Array(name.utf8.prefix(Int(UInt16.max)))
            buffer.writeInteger(UInt16(nameBytes.count))
            buffer.writeBytes(nameBytes)
            buffer.writeInteger(UInt32(clamping: value.utf8.count))
            buffer.writeString(value)
        }
        buffer.writeInteger(UInt32(clamping: body.readableBytes))
        buffer.writeImmutableBuffer(body)
    }

    /// Reads a record written by ``encode(into:)``; nil when the bytes are not one.
    static func decode(_ buffer: inout ByteBuffer) -> IdempotencyRecord? {
        guard buffer.readInteger(as: UInt8.self) == formatVersion,
            let status = buffer.readInteger(as: UInt16.self),
            let count = buffer.readInteger(as: UInt16.self)
        else { return nil }
        var headers: [(String, String)] = []
        for _ in 0..<count {
            guard let nameLength = buffer.readInteger(as: UInt16.self),
                let name = buffer.readString(length: Int(nameLength)),
                let valueLength = buffer.readInteger(as: UInt32.self),
                let value = buffer.readString(length: Int(valueLength))
            else { return nil }
            headers.append((name, value))
        }
        guard let bodyLength = buffer.readInteger(as: UInt32.self), let body = buffer.readSlice(length: Int(bodyLength)),
            buffer.readableBytes == 0
        else { return nil }
        return IdempotencyRecord(status: Int(status), headers: headers, body: body)
    }
}

/// What a claim on a key found.
public enum IdempotencyClaim: Sendable, Equatable {
    /// The key was free: this request runs, and its response will be stored under `token`'s claim.
    case claimed(token: String)
    /// The first request with this key is still running.
    case inFlight
    /// The key was used for a different request (method, path, query or body).
    case mismatch
    /// The first request finished: replay its response.
    case replay(IdempotencyRecord)
}
