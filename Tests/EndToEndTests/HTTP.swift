import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small HTTP client for black-box tests: one request, the whole answer.
enum HTTP {
    struct Response: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data

        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            (try JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
        }
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    /// An ephemeral session: no cookies, no cache, no connection reuse surprises between tests.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        configuration.httpMaximumConnectionsPerHost = 64
        return URLSession(configuration: configuration)
    }()

    static func call(_ method: String, _ url: String, headers: [String: String] = [:], json: Any? = nil, body: String? = nil)
        async throws -> Response
    {
        guard let target = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: target)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let json {
            // Sorted keys: a retried request must be the same bytes, as a real client's retry is.
            request.httpBody = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http?.allHeaderFields ?? [:] {
            if let key = key as? String, let value = value as? String { fields[key] = value }
        }
        return Response(status: http?.statusCode ?? 0, headers: fields, body: data)
    }
}

/// A JSON number as an integer, whatever type JSONSerialization chose for it.
func int64(_ value: Any?) -> Int64? {
    switch value {
    case let value as Int64: return value
    case let value as Int: return Int64(value)
    case let value as NSNumber: return value.int64Value
    case let value as Double: return Int64(exactly: value)
    default: return nil
    }
}
