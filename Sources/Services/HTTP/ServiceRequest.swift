import Foundation
import NIOHTTP1

/// A request to a service, read whole (service requests are small; the body is bounded by the server).
public struct ServiceRequest: Sendable {
    /// The method.
    public let method: HTTPMethod
    /// The path, percent-decoded segments not yet split.
    public let path: String
    /// Query parameters; the first value of a repeated name wins.
    public let query: [String: String]
    /// The request headers.
    public let headers: HTTPHeaders
    /// The body bytes.
    public let body: [UInt8]
    /// Values of the route's `:name` segments.
    public internal(set) var parameters: [String: String] = [:]

    /// A request as the server read it.
    public init(method: HTTPMethod, uri: String, headers: HTTPHeaders, body: [UInt8]) {
        self.method = method
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = parts.first.map(String.init) ?? "/"
        self.query = parts.count > 1 ? Self.parseQuery(parts[1]) : [:]
        self.headers = headers
        self.body = body
    }

    /// The body decoded as JSON into `T`; a 400 with a clear message when it does not decode.
    public func decode<T: Decodable>(_ type: T.Type) throws(HTTPError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch let DecodingError.keyNotFound(key, _) {
            throw HTTPError(.badRequest, "missing field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw HTTPError(.badRequest, "wrong type for '\(context.codingPath.map(\.stringValue).joined(separator: "."))'")
        } catch let DecodingError.valueNotFound(_, context) {
            throw HTTPError(.badRequest, "missing value for '\(context.codingPath.map(\.stringValue).joined(separator: "."))'")
        } catch {
            throw HTTPError(.badRequest, "the body is not valid JSON")
        }
    }

    /// A route parameter as an integer; 400 (or 404 for ids) when it is not one.
    public func integerParameter(_ name: String, notFound: Bool = true) throws(HTTPError) -> Int64 {
        guard let text = parameters[name], let value = Int64(text) else {
            throw notFound ? HTTPError(.notFound, "Not found") : HTTPError(.badRequest, "'\(name)' must be an integer")
        }
        return value
    }

    static func parseQuery(_ query: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode: (Substring) -> String = { text in
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            if result[name] == nil { result[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return result
    }
}
