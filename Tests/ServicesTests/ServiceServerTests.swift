import Foundation
import Logging
import NIOHTTP1
import ServiceLifecycle
import Testing

@testable import Services

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("ServiceServer")
struct ServiceServerTests {
    struct Echo: Codable, Equatable {
        var name: String
        var amount: Int64
    }

    static func router() -> ServiceRouter {
        var router = ServiceRouter()
        router.add(.GET, "/users/:id") { request in
            let id = try request.integerParameter("id")
            return .json(["id": id])
        }
        router.add(.POST, "/echo") { request in
            .json(try request.decode(Echo.self), status: .created)
        }
        router.add(.GET, "/stream") { request in
            let count = Int(request.query["n"] ?? "") ?? 3
            let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            Task {
                for index in 0..<count { continuation.yield(Array("line \(index)\n".utf8)) }
                continuation.finish()
            }
            return ServiceResponse(headers: ["Content-Type": "text/csv"], body: .stream(stream))
        }
        router.add(.GET, "/boom") { _ in throw CancellationError() }
        return router
    }

    /// Runs a server on a free port for the duration of `body`, then shuts it down gracefully.
    static func withServer(_ body: (URL) async throws -> Void) async throws {
        var logger = Logger(label: "test.service")
        logger.logLevel = .critical
        let server = ServiceServer(router: router(), port: 0, maxBodySize: 1024, logger: logger)
        let group = ServiceGroup(services: [server], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.boundPort()
            try await body(URL(string: "http://127.0.0.1:\(port)")!)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func call(_ url: URL, method: String = "GET", body: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func routesParametersJSONAndErrors() async throws {
        try await Self.withServer { base in
            #expect(try await Self.call(base.appending(path: "health")) == (200, #"{"status":"ok"}"#))
            #expect(try await Self.call(base.appending(path: "users/42")) == (200, #"{"id":42}"#))
            #expect(try await Self.call(base.appending(path: "users/abc")) == (404, #"{"message":"Not found"}"#))
            #expect(try await Self.call(base.appending(path: "nope")).0 == 404)
            #expect(try await Self.call(base.appending(path: "echo")).0 == 405)
            let echoed = try await Self.call(base.appending(path: "echo"), method: "POST", body: #"{"name":"ana","amount":1250}"#)
            #expect(echoed == (201, #"{"amount":1250,"name":"ana"}"#))
            let missing = try await Self.call(base.appending(path: "echo"), method: "POST", body: #"{"name":"ana"}"#)
            #expect(missing == (400, #"{"message":"missing field 'amount'"}"#))
            let invalid = try await Self.call(base.appending(path: "echo"), method: "POST", body: "{")
            #expect(invalid == (400, #"{"message":"the body is not valid JSON"}"#))
            let large = try await Self.call(
                base.appending(path: "echo"),
                method: "POST",
                body: String(repeating: "x", count: 4096)
            )
            #expect(large.0 == 413)
            #expect(try await Self.call(base.appending(path: "boom")) == (500, #"{"message":"internal error"}"#))
        }
    }

    @Test func streamsLargeResponses() async throws {
        try await Self.withServer { base in
            let (status, body) = try await Self.call(URL(string: base.absoluteString + "/stream?n=5000")!)
            #expect(status == 200)
            let lines = body.split(separator: "\n")
            #expect(lines.count == 5000)
            #expect(lines.last == "line 4999")
        }
    }
}
