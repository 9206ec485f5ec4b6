import Foundation
import NIOHTTP1

/// A response from a service: a whole body, or a stream of chunks for large results.
public struct ServiceResponse: Sendable {
    /// The body.
    public enum Body: Sendable {
        /// Bytes known up front (sent with Content-Length).
        case bytes([UInt8])
        /// Chunks produced while the response is sent (chunked encoding), written with back-pressure.
        case stream(AsyncThrowingStream<[UInt8], any Error>)
    }

    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: Body

    public init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `value` as JSON (snake_case keys are the caller's choice through CodingKeys).
    public static func json<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) -> ServiceResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(value)
            return ServiceResponse(status: status, headers: ["Content-Type": "application/json"], body: .bytes(Array(data)))
        } catch {
            return .message(.internalServerError, "could not encode the response")
        }
    }

    /// `{"message": ...}` with `status`.
    public static func message(_ status: HTTPResponseStatus, _ message: String) -> ServiceResponse {
        json(["message": message], status: status)
    }
}

/// An error a handler throws to answer with a status and `{"message": ...}`.
public struct HTTPError: Error, Sendable, Equatable {
    public var status: HTTPResponseStatus
    public var message: String

    public init(_ status: HTTPResponseStatus, _ message: String) {
        self.status = status
        self.message = message
    }
}
