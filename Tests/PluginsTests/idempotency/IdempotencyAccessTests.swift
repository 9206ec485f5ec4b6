import Foundation
import Gateway
import GatewayTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import Plugins

/// `idempotency` with the in-process store through a real gateway. The echo upstream answers with
/// the request it received, request id included, so a replay is told from a second run by its body.
@Suite struct IdempotencyAccessTests {
    static func gateway(_ plugin: String = "{}") -> String {
        """
        _format_version: "3.0"
        pasarela:
          proxy_listen: 127.0.0.1:0
          admin_listen: "off"
        services:
          - name: api
            url: http://{{UPSTREAM}}
            routes:
              - name: all
                paths: [/]
                strip_path: false
        consumers:
          - username: alice
          - username: bob
          - username: anonymous
        plugins:
          - name: test-auth
          - name: idempotency
            config: \(plugin)
        """
    }

    static func post(
        _ gateway: GatewayHarness,
        _ uri: String = "/echo",
        key: String?,
        body: String = #"{"amount":1250}"#,
        headers: [(String, String)] = [],
        method: HTTPMethod = .POST
    ) async throws -> TestResponse {
        var all = headers + [("Content-Type", "application/json")]
        if let key { all.append(("Idempotency-Key", key)) }
        return try await gateway.request(method, uri, headers: all, body: ByteBuffer(string: body))
    }

    static func upstreamRequestID(_ response: TestResponse) throws -> String? {
        try (response.json()["headers"] as? [String: Any])?["x-request-id"] as? String
    }

    @Test func aRepeatGetsTheFirstResponseBack() async throws {
        try await withGateway(Self.gateway(), registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            let first = try await Self.post(gateway, key: "pay-1")
            #expect(first.status == 200)
            #expect(first.headers.first(name: "Idempotent-Replayed") == nil)
            let firstID = try #require(try Self.upstreamRequestID(first))
            #expect(firstID == first.headers.first(name: "X-Request-Id"))
            #expect(try first.json()["body_bytes"] as? Int == 15)

            let repeated = try await Self.post(gateway, key: "pay-1")
            #expect(repeated.status == 200)
            #expect(repeated.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(repeated.body == first.body)
            #expect(try Self.upstreamRequestID(repeated) == firstID)  // not run again
            #expect(repeated.headers.first(name: "X-Request-Id") != firstID)  // but a request of its own
            #expect(repeated.headers.first(name: "Content-Type") == "application/json")
            #expect(repeated.headers.first(name: "Content-Length") == String(first.body.readableBytes))
            #expect(repeated.headers["X-Hop"].isEmpty)  // hop-by-hop headers stay out of the record

            // PATCH too; another key runs.
            let other = try await Self.post(gateway, key: "pay-2")
            #expect(try Self.upstreamRequestID(other) != firstID)
            let patch = try await Self.post(gateway, key: "pay-3", method: .PATCH)
            #expect(try await Self.post(gateway, key: "pay-3", method: .PATCH).body == patch.body)
        }
    }

    @Test func theSameKeyWithAnotherRequestIs422() async throws {
        try await withGateway(Self.gateway(), registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await Self.post(gateway, key: "k").status == 200)
            for (uri, body) in [
                ("/echo", #"{"amount":9999}"#), ("/echo/other", #"{"amount":1250}"#), ("/echo?x=1", #"{"amount":1250}"#),
            ] {
                let mismatch = try await Self.post(gateway, uri, key: "k", body: body)
                #expect(mismatch.status == 422)
                #expect(
                    try mismatch.json()["message"] as? String == "This Idempotency-Key was already used with a different request"
                )
            }
        }
    }

    @Test func aRepeatWhileTheFirstRunsIs409() async throws {
        try await withGateway(Self.gateway(), registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            async let first = Self.post(gateway, "/slow/1500", key: "slow")
            try await Task.sleep(for: .milliseconds(300))
            let concurrent = try await Self.post(gateway, "/slow/1500", key: "slow")
            #expect(concurrent.status == 409)
            #expect(try concurrent.json()["message"] as? String == "A request with this Idempotency-Key is still being processed")
            #expect(concurrent.headers.first(name: "Retry-After") == "1")
            let original = try await first
            #expect(original.status == 200)
            let after = try await Self.post(gateway, "/slow/1500", key: "slow")
            #expect(after.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(after.body == original.body)
        }
    }

    @Test func concurrentRepeatsRunTheRequestOnce() async throws {
        try await withGateway(Self.gateway(), registry: testRegistry) { (gateway: GatewayHarness, upstream: TestUpstream) async throws in
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<40 { group.addTask { try await Self.post(gateway, "/slow/300", key: "once") } }
                var responses: [TestResponse] = []
                for try await response in group { responses.append(response) }
                return responses
            }
            // The upstream ran it once; every other answer is 409 while it ran, or (on a slow
            // machine, for late arrivals) the replay of that one response.
            #expect(upstream.requests == 1)
            let firsts = responses.filter { $0.status == 200 && $0.headers.first(name: "Idempotent-Replayed") == nil }
            #expect(firsts.count == 1)
            let replays = responses.filter { $0.headers.first(name: "Idempotent-Replayed") == "true" }
            #expect(replays.allSatisfy { $0.status == 200 && $0.body == firsts.first?.body })
            #expect(responses.filter { $0.status == 409 }.count + replays.count == 39)
        }
    }

    @Test func otherMethodsAndRequestsWithoutAKeyPass() async throws {
        try await withGateway(Self.gateway(), registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            let get1 = try await gateway.request(.GET, "/echo", headers: [("Idempotency-Key", "g")])
            let get2 = try await gateway.request(.GET, "/echo", headers: [("Idempotency-Key", "g")])
            #expect(get2.headers.first(name: "Idempotent-Replayed") == nil)
            #expect(try Self.upstreamRequestID(get1) != Self.upstreamRequestID(get2))
            let post1 = try await Self.post(gateway, key: nil)
            let post2 = try await Self.post(gateway, key: nil)
            #expect(try Self.upstreamRequestID(post1) != Self.upstreamRequestID(post2))
        }
    }

    @Test func requiredKeysAndKeyLength() async throws {
        try await withGateway(Self.gateway("{required: true, header_name: X-Idem}"), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            let missing = try await Self.post(gateway, key: nil)
            #expect(missing.status == 400)
            #expect(try missing.json()["message"] as? String == "X-Idem header is required")
            let long = try await Self.post(gateway, key: nil, headers: [("X-Idem", String(repeating: "k", count: 256))])
            #expect(long.status == 400)
            #expect(try long.json()["message"] as? String == "X-Idem must be between 1 and 255 characters")
            let ok = try await Self.post(gateway, key: nil, headers: [("X-Idem", String(repeating: "k", count: 255))])
            #expect(ok.status == 200)
            #expect(try await gateway.request(.GET, "/echo").status == 200)  // GET is not covered
        }
    }

    @Test func bodiesOverTheLimitAreRefusedAndBigResponsesNotStored() async throws {
        let config = "{max_request_body_size: 20, max_response_body_size: 100}"
        try await withGateway(Self.gateway(config), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            let big = try await Self.post(gateway, key: "big", body: String(repeating: "x", count: 21))
            #expect(big.status == 413)
            #expect(try big.json()["message"] as? String == "Request size limit exceeded")
            // The echo answer is larger than 100 bytes: sent, not stored, the key released.
            let first = try await Self.post(gateway, key: "large-answer", body: "{}")
            #expect(first.status == 200 && first.body.readableBytes > 100)
            let second = try await Self.post(gateway, key: "large-answer", body: "{}")
            #expect(second.headers.first(name: "Idempotent-Replayed") == nil)
            #expect(try Self.upstreamRequestID(second) != Self.upstreamRequestID(first))
            // A small answer is stored.
            let small = try await Self.post(gateway, "/status/201", key: "small", body: "{}")
            #expect(small.status == 201)
            #expect(
                try await Self.post(gateway, "/status/201", key: "small", body: "{}").headers.first(name: "Idempotent-Replayed")
                    == "true"
            )
        }
    }

    @Test func serverErrorsAreNotStored() async throws {
        try await withGateway(Self.gateway(), registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await Self.post(gateway, "/status/503", key: "e").status == 503)
            let again = try await Self.post(gateway, "/status/503", key: "e")
            #expect(again.status == 503)
            #expect(again.headers.first(name: "Idempotent-Replayed") == nil)
            // 4xx are the first response too.
            #expect(try await Self.post(gateway, "/status/404", key: "n").status == 404)
            #expect(try await Self.post(gateway, "/status/404", key: "n").headers.first(name: "Idempotent-Replayed") == "true")
        }
    }

    @Test func anUnreachableUpstreamReleasesTheKey() async throws {
        let port = try await unusedPort()
        let yaml = Self.gateway().replacingOccurrences(of: "http://{{UPSTREAM}}", with: "http://127.0.0.1:\(port)")
        try await withGateway(yaml, registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            #expect(try await Self.post(gateway, key: "retry-me").status == 502)
            let again = try await Self.post(gateway, key: "retry-me")
            #expect(again.status == 502)
            #expect(again.headers.first(name: "Idempotent-Replayed") == nil)
        }
    }

    @Test func keysAreScopedPerConsumerAndAnonymousPerIP() async throws {
        try await withGateway(Self.gateway(), registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            let alice = try await Self.post(gateway, key: "same", headers: [("X-Test-Consumer", "alice")])
            let bob = try await Self.post(gateway, key: "same", headers: [("X-Test-Consumer", "bob")])
            #expect(bob.headers.first(name: "Idempotent-Replayed") == nil)
            #expect(try Self.upstreamRequestID(bob) != Self.upstreamRequestID(alice))
            let aliceAgain = try await Self.post(gateway, key: "same", headers: [("X-Test-Consumer", "alice")])
            #expect(aliceAgain.body == alice.body)
            // Anonymous requests share the client IP's scope, not the anonymous consumer's.
            let anonymous = try await Self.post(gateway, key: "same", headers: [("X-Test-Anonymous", "anonymous")])
            #expect(anonymous.headers.first(name: "Idempotent-Replayed") == nil)
            let plain = try await Self.post(gateway, key: "same")
            #expect(plain.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(plain.body == anonymous.body)
        }
    }

    /// One consumer shared by many end users (an app's tokens): `scope_header` keeps their keys apart.
    @Test func aScopeHeaderSeparatesUsersOfOneConsumer() async throws {
        try await withGateway(Self.gateway(#"{scope_header: X-User-Id}"#), registry: testRegistry) {
            (gateway: GatewayHarness, _: TestUpstream) async throws in
            let app = ("X-Test-Consumer", "alice")
            let one = try await Self.post(gateway, key: "k", headers: [app, ("X-User-Id", "1")])
            let two = try await Self.post(gateway, key: "k", headers: [app, ("X-User-Id", "2")])
            #expect(two.status == 200)
            #expect(two.headers.first(name: "Idempotent-Replayed") == nil)
            #expect(try Self.upstreamRequestID(two) != Self.upstreamRequestID(one))
            let oneAgain = try await Self.post(gateway, key: "k", headers: [app, ("X-User-Id", "1")])
            #expect(oneAgain.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(oneAgain.body == one.body)
            // A value that looks like a key separator is just another user.
            let forged = try await Self.post(gateway, key: "k", headers: [app, ("X-User-Id", "1:k")])
            #expect(forged.headers.first(name: "Idempotent-Replayed") == nil)
        }
    }

    @Test func chunkedAndExpectContinueBodiesAreRead() async throws {
        try await withGateway(Self.gateway(), registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            let request =
                "POST /checksum HTTP/1.1\r\nHost: x\r\nIdempotency-Key: chunked\r\nExpect: 100-continue\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
            let first = try await gateway.raw(request)
            #expect(first.contains("HTTP/1.1 100 Continue"))
            #expect(first.contains("\"bytes\":11"))
            let second = try await gateway.raw(request)
            #expect(second.contains("idempotent-replayed: true") || second.contains("Idempotent-Replayed: true"))
            #expect(second.contains("\"bytes\":11"))
        }
    }

    @Test func aReloadKeepsStoredResponses() async throws {
        try await withGateway(Self.gateway(), registry: testRegistry) { (gateway: GatewayHarness, _: TestUpstream) async throws in
            let first = try await Self.post(gateway, key: "survives")
            guard case .reloaded = gateway.process.reload(reason: "test") else {
                Issue.record("reload failed")
                return
            }
            let repeated = try await Self.post(gateway, key: "survives")
            #expect(repeated.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(repeated.body == first.body)
        }
    }
}
