import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import Services

@Suite("Webhook")
struct WebhookTests {
    /// A receiver that fails the first `failures` calls, then accepts, recording every body.
    final class Receiver: Sendable {
        let calls = Mutex<[String]>([])
        let failures: Int

        init(failures: Int) { self.failures = failures }

        var router: ServiceRouter {
            var router = ServiceRouter()
            router.add(.POST, "/hook") { request in
                let count = self.calls.withLock { calls in
                    calls.append(String(decoding: request.body, as: UTF8.self))
                    return calls.count
                }
                return count <= self.failures ? .message(.serviceUnavailable, "busy") : .json(["ok": true])
            }
            return router
        }
    }

    @Test(arguments: [(2, 5, 3), (9, 3, 3)])
    func retriesWithBackoffUntilAcceptedOrOutOfAttempts(failures: Int, attempts: Int, expectedCalls: Int) async throws {
        var logger = Logger(label: "test.webhook")
        logger.logLevel = .critical
        let receiver = Receiver(failures: failures)
        let server = ServiceServer(router: receiver.router, port: 0, logger: logger)
        let group = ServiceGroup(services: [server], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.boundPort()
            let hook = Webhook(
                url: try #require(URL(string: "http://127.0.0.1:\(port)/hook")),
                attempts: attempts,
                firstDelay: .milliseconds(20),
                logger: logger
            )
            await hook.deliver(["event": "payment.completed"])
            let calls = receiver.calls.withLock { $0 }
            #expect(calls.count == expectedCalls)
            #expect(calls.allSatisfy { $0 == #"{"event":"payment.completed"}"# })

            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
