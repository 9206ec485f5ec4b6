import Foundation
import Gateway
import NIOCore
import NIOHTTP1

/// Kong's basic log serializer (`kong.log.serialize()`): one finished request as the JSON object the
/// logging plugins (`file-log`, `http-log`) write, with Kong's field names. Sizes count the head and
/// the body as sent; latencies are in milliseconds.
public enum KongLogSerializer {
    /// The entry for a finished request; `now` is the wall-clock time of the log phase.
    public static func serialize(_ context: RequestContext, now: Date = Date()) -> JSONValue {
        let latencies = Latencies(context)
        let startedAt = now.timeIntervalSince1970 * 1000 - Double(latencies.request)
        var entry = JSONObject()
        entry["request"] = .object(request(context))
        entry["upstream_uri"] = .string(upstreamURI(context))
        entry["response"] = .object(response(context))
        entry["latencies"] = .object([
            "request": .number(String(latencies.request)),
            "kong": .number(String(latencies.kong)),
            "proxy": .number(String(latencies.proxy ?? -1)),
            "receive": .number(String(latencies.receive)),
        ])
        entry["tries"] = .array(tries(context))
        entry["client_ip"] = .string(context.clientIP)
        entry["started_at"] = .number(String(Int64(startedAt.rounded())))
        if let route = context.route {
            entry["route"] = .object(Self.route(route))
            if let service = route.service { entry["service"] = .object(Self.service(service)) }
        }
        if let consumer = context.consumer {
            var object = JSONObject()
            object["id"] = .string(consumer.id)
            if let username = consumer.username { object["username"] = .string(username) }
            if let customID = consumer.customID { object["custom_id"] = .string(customID) }
            entry["consumer"] = .object(object)
            if let credential = context.credentialIdentifier {
                entry["authenticated_entity"] = .object(["id": .string(credential)])
            }
        }
        entry["source"] = .string((context.responseSource ?? .error).rawValue)
        entry["workspace_name"] = .string("default")
        return .object(entry)
    }

    /// Kong's latencies of a finished request, in milliseconds.
    struct Latencies {
        /// From the request head's arrival to the end of the response.
        let request: Int64
        /// From handing the request to the upstream (or dispatcher) to its response head; nil when
        /// the request never reached one (Kong writes -1).
        let proxy: Int64?
        /// From the upstream's response head to the end of the response.
        let receive: Int64
        /// The rest: the gateway's own time.
        var kong: Int64 { max(0, request - (proxy ?? 0) - receive) }

        init(_ context: RequestContext) {
            let finished = context.finishedAt ?? .now()
            request = KongLogSerializer.milliseconds(from: context.startedAt, to: finished)
            if let sent = context.upstreamStartedAt, let answered = context.upstreamRespondedAt {
                proxy = KongLogSerializer.milliseconds(from: sent, to: answered)
            } else {
                proxy = nil
            }
            receive = context.upstreamRespondedAt.map { KongLogSerializer.milliseconds(from: $0, to: finished) } ?? 0
        }
    }

    /// Request headers as nginx reports them: lowercase names, repeated ones as an array;
    /// credentials redacted as Kong does.
    static func headers(_ headers: HTTPHeaders, redacting: Set<String> = []) -> JSONObject {
        var object = JSONObject()
        for (name, value) in headers {
            let lowered = name.lowercased()
            let shown = redacting.contains(lowered) ? "REDACTED" : value
            switch object[lowered] {
            case nil: object[lowered] = .string(shown)
            case .string(let first)?: object[lowered] = .array([.string(first), .string(shown)])
            case .array(var values)?:
                values.append(.string(shown))
                object[lowered] = .array(values)
            default: break
            }
        }
        return object
    }

    private static func request(_ context: RequestContext) -> JSONObject {
        let head = context.originalHead
        var object = JSONObject()
        object["uri"] = .string(head.uri)
        let host = head.headers.first(name: "host") ?? "localhost"
        object["url"] = .string("\(context.clientScheme)://\(host)\(head.uri)")
        var querystring = JSONObject()
        if let query = context.query {
            for (name, value) in FormArguments(decoding: Substring(query)).entries {
                switch value {
                case .flag: querystring[name] = .bool(true)
                case .values(let values):
                    querystring[name] = values.count == 1 ? .string(values[0]) : .array(values.map(JSONValue.string))
                }
            }
        }
        object["querystring"] = .object(querystring)
        object["method"] = .string(head.method.rawValue)
        object["headers"] = .object(headers(head.headers, redacting: ["authorization", "proxy-authorization"]))
        object["size"] = .number(String(requestSize(context)))
        return object
    }

    private static func response(_ context: RequestContext) -> JSONObject {
        var object = JSONObject()
        let status = context.responseStatus ?? .init(statusCode: 0)
        object["status"] = .number(String(status.code))
        let headers = context.responseHeaders ?? [:]
        object["headers"] = .object(Self.headers(headers))
        object["size"] = .number(String(responseSize(context)))
        return object
    }

    private static func tries(_ context: RequestContext) -> [JSONValue] {
        guard let address = context.upstreamAddress, let colon = address.lastIndex(of: ":"),
            let port = Int(address[address.index(after: colon)...])
        else { return [] }
        var ip = String(address[..<colon])
        if ip.hasPrefix("["), ip.hasSuffix("]") { ip = String(ip.dropFirst().dropLast()) }
        return [.object(["ip": .string(ip), "port": .number(String(port)), "balancer_latency": .number("0")])]
    }

    private static func upstreamURI(_ context: RequestContext) -> String {
        guard let query = context.query else { return context.upstreamPath }
        return context.upstreamPath + "?" + query
    }

    private static func route(_ route: ProxyRoute) -> JSONObject {
        var object = JSONObject()
        object["id"] = .string(route.id)
        if let name = route.name { object["name"] = .string(name) }
        object["strip_path"] = .bool(route.stripPath)
        object["preserve_host"] = .bool(route.preserveHost)
        return object
    }

    private static func service(_ service: ProxyService) -> JSONObject {
        var object = JSONObject()
        object["id"] = .string(service.id)
        if let name = service.name { object["name"] = .string(name) }
        switch service.destination {
        case .http(let endpoint):
            object["host"] = .string(endpoint.host)
            object["port"] = .number(String(endpoint.port))
            object["protocol"] = .string(endpoint.scheme)
        case .upstream(let balancer, let scheme):
            object["host"] = .string(balancer.name)
            object["protocol"] = .string(scheme)
        case .dispatcher:
            object["protocol"] = .string("amqp")
        }
        if let path = service.path { object["path"] = .string(path) }
        object["retries"] = .number(String(service.retries))
        object["connect_timeout"] = .number(String(service.connectTimeout.nanoseconds / 1_000_000))
        object["read_timeout"] = .number(String(service.readTimeout.nanoseconds / 1_000_000))
        object["write_timeout"] = .number(String(service.writeTimeout.nanoseconds / 1_000_000))
        return object
    }

    /// Bytes received for the request: its head (request line, header lines) and body.
    static func requestSize(_ context: RequestContext) -> Int {
        let head = context.originalHead
        // "METHOD URI HTTP/1.1"
        let firstLine = head.method.rawValue.utf8.count + 1 + head.uri.utf8.count + 9
        return headSize(firstLine: firstLine, head.headers) + context.requestBodyBytes
    }

    /// Bytes sent for the response: its head (status line, header lines) and body; 0 before a response.
    static func responseSize(_ context: RequestContext) -> Int {
        guard let status = context.responseStatus else { return 0 }
        // "HTTP/1.1 200 OK"
        let firstLine = 13 + status.reasonPhrase.utf8.count
        return headSize(firstLine: firstLine, context.responseHeaders ?? [:]) + context.responseBodyBytes
    }

    /// Bytes of a head: its first line (`firstLine` bytes), each header line and the blank line.
    private static func headSize(firstLine: Int, _ headers: HTTPHeaders) -> Int {
        var size = firstLine + 2
        for (name, value) in headers { size += name.utf8.count + 2 + value.utf8.count + 2 }
        return size + 2
    }

    /// The service's name, else its host (Kong's `service` label in metrics).
    static func serviceLabel(_ service: ProxyService) -> String {
        if let name = service.name { return name }
        switch service.destination {
        case .http(let endpoint): return endpoint.host
        case .upstream(let balancer, _): return balancer.name
        case .dispatcher: return service.id
        }
    }

    static func milliseconds(from start: NIODeadline, to end: NIODeadline) -> Int64 {
        max(0, (end - start).nanoseconds / 1_000_000)
    }
}
