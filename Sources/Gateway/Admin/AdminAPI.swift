import Foundation

/// The admin API's endpoints over the running configuration. Never shows secrets.
///
/// - `GET /` and `GET /status`: process and configuration state.
/// - `GET /routes`, `GET /services`, `GET /consumers`: the compiled entities (no credentials).
/// - `POST /config/reload`: loads the configuration file again (DESIGN §4.5).
/// - `GET /metrics`: the process's counters in Prometheus's text format.
public final class AdminAPI: Sendable {
    /// One admin request.
    public struct Request: Sendable {
        public var method: String
        public var uri: String
        public var headers: [(String, String)]
        public var body: String
        public var peerIP: String?

        /// Creates a request.
        public init(method: String, uri: String, headers: [(String, String)], body: String, peerIP: String?) {
            self.method = method
            self.uri = uri
            self.headers = headers
            self.body = body
            self.peerIP = peerIP
        }
    }

    /// One admin response (a JSON body unless `contentType` says otherwise).
    public struct Response: Sendable {
        public var status: Int
        public var body: String
        public var contentType = "application/json; charset=utf-8"
    }

    private let store: ConfigStore
    private let token: String
    private let reload: @Sendable () async -> ReloadOutcome
    private let connections: @Sendable () -> Int
    private let metrics: @Sendable () -> String

    /// Creates the API over a store; `reload` re-reads the configuration file, `metrics` renders the
    /// process's metrics in Prometheus's text format.
    public init(
        store: ConfigStore,
        token: String,
        connections: @escaping @Sendable () -> Int,
        metrics: @escaping @Sendable () -> String = { "" },
        reload: @escaping @Sendable () async -> ReloadOutcome
    ) {
        self.store = store
        self.token = token
        self.connections = connections
        self.metrics = metrics
        self.reload = reload
    }

    /// Answers a request.
    public func handle(_ request: Request) async -> Response {
        guard authorized(request) else {
            return json(401, ["message": "Unauthorized"])
        }
        let path = String(request.uri.split(separator: "?", maxSplits: 1).first ?? "/")
        let config = store.current
        switch (request.method, path) {
        case ("GET", "/"), ("GET", "/status"):
            return json(
                200,
                [
                    "tagline": "Welcome to pasarela",
                    "configuration": [
                        "generation": store.generation,
                        "file": config.sourceFile,
                        "loaded_at": ISO8601DateFormatter().string(from: config.loadedAt),
                    ],
                    "server": ["connections_active": connections()],
                ]
            )
        case ("GET", "/routes"):
            return json(200, ["data": config.routeSummaries.map(\.jsonObject)])
        case ("GET", "/services"):
            return json(200, ["data": config.serviceSummaries])
        case ("GET", "/consumers"):
            return json(
                200,
                [
                    "data": config.consumers.map { consumer -> [String: Any] in
                        var object: [String: Any] = ["id": consumer.id]
                        if let username = consumer.username { object["username"] = username }
                        if let customID = consumer.customID { object["custom_id"] = customID }
                        return object
                    }
                ]
            )
        case ("GET", "/metrics"):
            return Response(status: 200, body: metrics(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        case ("POST", "/config/reload"):
            switch await reload() {
            case .reloaded(let generation, let warnings):
                return json(200, ["message": "configuration reloaded", "generation": generation, "warnings": warnings])
            case .invalid(let errors):
                return json(400, ["message": "invalid configuration; the running configuration is unchanged", "errors": errors])
            }
        default:
            return json(404, ["message": "Not found"])
        }
    }

    private func authorized(_ request: Request) -> Bool {
        if token.isEmpty {
            guard let peer = request.peerIP else { return false }
            return peer == "127.0.0.1" || peer == "::1" || peer.hasPrefix("127.") || peer == "::ffff:127.0.0.1"
        }
        for (name, value) in request.headers {
            let lower = name.lowercased()
            if lower == "authorization", value.hasPrefix("Bearer "),
                ConstantTime.equals(String(value.dropFirst(7)), token)
            {
                return true
            }
            if lower == "kong-admin-token", ConstantTime.equals(value, token) { return true }
        }
        return false
    }

    private func json(_ status: Int, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, body: String(decoding: data, as: UTF8.self))
    }
}

/// What a reload did.
public enum ReloadOutcome: Sendable {
    /// The new configuration is running.
    case reloaded(generation: Int, warnings: [String])
    /// The file was invalid; nothing changed.
    case invalid(errors: [String])
}

/// Comparisons whose time does not depend on where two secrets differ.
public enum ConstantTime {
    /// Whether the two strings are equal, comparing every byte of the longer one.
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let count = max(a.count, b.count)
        for index in 0..<count {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}
