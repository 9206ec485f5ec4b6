/// Read access to a request's headers for header conditions, without copying them.
///
/// The proxy conforms its header type (NIO's `HTTPHeaders`) by walking the headers in place;
/// a `[String: [String]]` with lower-cased keys conforms out of the box (tests, tools).
public protocol RouteHeaders {
    /// Calls `predicate` with each value of every header named `name` (given in lower case;
    /// compare names case-insensitively) and returns true as soon as it returns true.
    func containsValue(forName name: String, where predicate: (Substring) -> Bool) -> Bool
}

extension Dictionary: RouteHeaders where Key == String, Value == [String] {
    /// Looks `name` up as is: keys must be lower case.
    public func containsValue(forName name: String, where predicate: (Substring) -> Bool) -> Bool {
        guard let values = self[name] else { return false }
        return values.contains { predicate(Substring($0)) }
    }
}

/// What the router looks at in a request.
public struct RouteRequest<Headers: RouteHeaders> {
    /// The method as received (HTTP methods are case-sensitive; routes hold upper case).
    public var method: String
    /// The host from the `Host` header (or the absolute-form target), lower-cased, without the
    /// port; empty when there is none.
    public var host: String
    /// The port from the `Host` header, if it names one; only routes with `host:port` use it.
    public var port: Int?
    /// The normalised path (see `PathNormalizer`), without the query.
    public var path: String
    /// The request's headers.
    public var headers: Headers

    public init(method: String, host: String, port: Int? = nil, path: String, headers: Headers) {
        self.method = method
        self.host = host
        self.port = port
        self.path = path
        self.headers = headers
    }
}

extension RouteRequest: Sendable where Headers: Sendable {}

extension RouteRequest where Headers == [String: [String]] {
    /// A request with no headers worth matching on.
    public init(method: String, host: String, port: Int? = nil, path: String) {
        self.init(method: method, host: host, port: port, path: path, headers: [:])
    }
}
