import NIOHTTP1

/// Routes requests by method and path pattern (`/users/:id/deposit`) to handlers.
public struct ServiceRouter: Sendable {
    /// Answers a request.
    public typealias Handler = @Sendable (ServiceRequest) async throws -> ServiceResponse

    struct Route: Sendable {
        let method: HTTPMethod
        let segments: [Segment]
        let handler: Handler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private var routes: [Route] = []

    /// An empty router; every service answers `GET /health` with `{"status":"ok"}`.
    public init() {
        add(.GET, "/health") { _ in .json(["status": "ok"]) }
    }

    /// Adds a route; `:name` segments become ``ServiceRequest/parameters``.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Handler) {
        let segments = pattern.split(separator: "/").map { part in
            part.hasPrefix(":") ? Segment.parameter(String(part.dropFirst())) : .literal(String(part))
        }
        routes.append(Route(method: method, segments: segments, handler: handler))
    }

    /// The response for `request`: the handler's, or 404/405, or the status of a thrown ``HTTPError``
    /// (anything else thrown is a 500 that does not leak the error).
    public func respond(to request: ServiceRequest) async -> ServiceResponse {
        let parts = request.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        var methodMismatch = false
        for route in routes {
            guard let parameters = Self.match(route.segments, parts) else { continue }
            guard route.method == request.method else {
                methodMismatch = true
                continue
            }
            var request = request
            request.parameters = parameters
            do {
                return try await route.handler(request)
            } catch let error as HTTPError {
                return .message(error.status, error.message)
            } catch {
                return .message(.internalServerError, "internal error")
            }
        }
        return methodMismatch ? .message(.methodNotAllowed, "Method not allowed") : .message(.notFound, "Not found")
    }

    static func match(_ segments: [Segment], _ parts: [String]) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let literal): if literal != part { return nil }
            case .parameter(let name): parameters[name] = part
            }
        }
        return parameters
    }
}
