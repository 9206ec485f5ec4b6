import AMQP
import AMQPTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@testable import Services

/// The worker kit against a real RabbitMQ: acknowledgement after the handler, rpc replies, retries
/// through `<queue>.retry`, dead-lettering to `<queue>.dead`, redelivery after a worker dies, graceful stop.
@Suite(
    .serialized,
    .enabled(if: TestBroker.isAvailable, "PASARELA_TEST_AMQP_URL is unset: run under scripts/test-rabbitmq.sh run")
)
struct WorkerTests {
    /// A fresh exchange and routing key, so runs never see each other's jobs.
    static func workQueue() -> WorkQueue {
        WorkQueue(exchange: TestBroker.uniqueName("test.pagos"), routingKey: TestBroker.uniqueName("payment.requested"))
    }

    static func worker(
        _ queue: WorkQueue,
        retry: RetryPolicy = RetryPolicy(maxRetries: 2, delay: .milliseconds(100)),
        prefetch: UInt16 = 10,
        handler: @escaping @Sendable (Job) async throws -> JobOutcome
    ) async throws -> Worker {
        var logger = Logger(label: "test.worker")
        logger.logLevel = .critical
        let worker = Worker(
            configuration: WorkerConfiguration(
                url: try TestBroker.amqpURL(),
                queue: queue,
                prefetch: prefetch,
                retry: retry,
                name: "test-worker"
            ),
            handler: ClosureJobHandler(handler),
            logger: logger
        )
        #expect(await worker.waitUntilConnected(timeout: .seconds(20)))
        return worker
    }

    /// Publishes a job envelope as the gateway does (persistent, confirmed, mandatory).
    static func publish(_ id: String, to queue: WorkQueue, via connection: AMQPConnection, replyTo: String? = nil) async throws {
        let body =
            #"{"id":"\#(id)","method":"POST","path":"/jobs","query":{},"headers":{},"params":{},"consumer":null,"body":{"n":1}}"#
        let outcome = try await connection.publish(
            exchange: queue.exchange,
            routingKey: queue.routingKey,
            body: Array(body.utf8),
            properties: MessageProperties(
                contentType: "application/json",
                deliveryMode: .persistent,
                replyTo: replyTo,
                messageID: id
            ),
            mandatory: true
        )
        #expect(outcome == .confirmed)
    }

    /// A flag tests open once; handlers poll it.
    final class Gate: Sendable {
        private let flag = Atomic<Bool>(false)
        var isOpen: Bool { flag.load(ordering: .acquiring) }
        func open() { flag.store(true, ordering: .releasing) }
    }

    /// Counts calls per job id.
    final class Calls: Sendable {
        let counts = Mutex<[String: Int]>([:])
        func record(_ id: String) -> Int {
            counts.withLock {
                $0[id, default: 0] += 1; return $0[id] ?? 0
            }
        }
        var total: Int { counts.withLock { $0.values.reduce(0, +) } }
        func count(_ id: String) -> Int { counts.withLock { $0[id] ?? 0 } }
    }

    static func eventually(_ timeout: Duration = .seconds(15), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !condition(), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return condition()
    }

    @Test func handledJobsAreAcknowledgedOnceEach() async throws {
        let queue = Self.workQueue()
        let calls = Calls()
        let worker = try await Self.worker(queue) { job in
            _ = calls.record(job.id)
            return .done
        }
        let running = Task { try await worker.run() }
        let publisher = try await TestBroker.connect("worker-publisher")
        for index in 0..<50 { try await Self.publish("job-\(index)", to: queue, via: publisher) }
        #expect(await Self.eventually { worker.counters.snapshot.completed == 50 })
        #expect(calls.total == 50)
        #expect((0..<50).allSatisfy { calls.count("job-\($0)") == 1 })
        await worker.stop()
        try await running.value
        await worker.close()
        await publisher.close()
    }

    @Test func rpcJobsGetTheHandlersReply() async throws {
        let queue = Self.workQueue()
        let worker = try await Self.worker(queue) { job in
            .reply(JobReply(status: 201, headers: ["X-Job": job.id], body: .object(["ok": .bool(true)])))
        }
        let running = Task { try await worker.run() }
        let client = try await TestBroker.connect("worker-rpc", topology: queue.topology)
        let envelope =
            #"{"id":"rpc-1","method":"POST","path":"/x","query":{},"headers":{},"params":{},"consumer":null,"body":null}"#
        let outcome = try await client.rpc(
            exchange: queue.exchange,
            routingKey: queue.routingKey,
            body: Array(envelope.utf8),
            properties: MessageProperties(correlationID: "corr-1", messageID: "rpc-1"),
            timeout: .seconds(10)
        )
        guard case .reply(let message) = outcome else {
            Issue.record("expected a reply, got \(outcome)")
            return
        }
        let reply = try JSONSerialization.jsonObject(with: Data(message.body)) as? [String: Any]
        #expect(reply?["status"] as? Int == 201)
        #expect((reply?["headers"] as? [String: String])?["X-Job"] == "rpc-1")
        #expect((reply?["body"] as? [String: Bool])?["ok"] == true)
        await worker.stop()
        try await running.value
        await worker.close()
        await client.close()
    }

    @Test func failingJobsAreRetriedThenDeadLettered() async throws {
        let queue = Self.workQueue()
        let calls = Calls()
        let attempts = Mutex<[Int]>([])
        let worker = try await Self.worker(queue, retry: RetryPolicy(maxRetries: 2, delay: .milliseconds(150))) { job in
            _ = calls.record(job.id)
            attempts.withLock { $0.append(job.retries) }
            if job.id == "fatal" { throw JobFailure.permanent("cannot ever work") }
            if job.id == "flaky", job.retries < 1 { throw CancellationError() }
            if job.id == "doomed" { throw CancellationError() }
            return .done
        }
        let running = Task { try await worker.run() }
        let publisher = try await TestBroker.connect("worker-retry")
        let dead = DeliveryCollector(try await publisher.consume(queue: queue.deadLetterQueue))
        try await Self.publish("flaky", to: queue, via: publisher)
        try await Self.publish("doomed", to: queue, via: publisher)
        try await Self.publish("fatal", to: queue, via: publisher)

        let deadJobs = await dead.wait(for: 2)
        #expect(Set(deadJobs.map { $0.properties.messageID }) == ["doomed", "fatal"])
        // The dead job keeps its body and says how many retries it had.
        let doomed = try #require(deadJobs.first { $0.properties.messageID == "doomed" })
        #expect(doomed.properties.headers[RetryPolicy.retryHeader] == .int(2))
        #expect(String(decoding: doomed.body, as: UTF8.self).contains(#""id":"doomed""#))
        #expect(await Self.eventually { worker.counters.snapshot.completed == 1 })
        #expect(calls.count("flaky") == 2)
        #expect(calls.count("doomed") == 3)
        #expect(calls.count("fatal") == 1)
        #expect(worker.counters.snapshot.retried == 3)
        #expect(worker.counters.snapshot.deadLettered == 2)
        for delivery in deadJobs { try await delivery.ack() }
        await worker.stop()
        try await running.value
        await worker.close()
        await publisher.close()
    }

    @Test func malformedMessagesAreDeadLettered() async throws {
        let queue = Self.workQueue()
        let worker = try await Self.worker(queue) { _ in .done }
        let running = Task { try await worker.run() }
        let publisher = try await TestBroker.connect("worker-malformed")
        let dead = DeliveryCollector(try await publisher.consume(queue: queue.deadLetterQueue))
        _ = try await publisher.publish(
            exchange: queue.exchange,
            routingKey: queue.routingKey,
            body: Array("not a job".utf8),
            mandatory: true
        )
        #expect(await dead.wait(for: 1).first?.body == Array("not a job".utf8))
        #expect(worker.counters.snapshot.completed == 0)
        await worker.stop()
        try await running.value
        await worker.close()
        await publisher.close()
    }

    /// A worker whose connections die mid-job (as when its process is killed) never acknowledged the
    /// job: the broker gives it to the next worker, flagged as redelivered, and it is done once.
    @Test func aJobHeldByADeadWorkerIsRedelivered() async throws {
        let queue = Self.workQueue()
        let started = Mutex(false)
        let stuck = try await Self.worker(queue) { _ in
            started.withLock { $0 = true }
            try await Task.sleep(for: .seconds(3600))
            return .done
        }
        let stuckRun = Task { try? await stuck.run() }
        let publisher = try await TestBroker.connect("worker-redeliver")
        try await Self.publish("held", to: queue, via: publisher)
        #expect(await Self.eventually { started.withLock { $0 } })
        await stuck.close()  // the broker sees the connection drop with the job unacknowledged
        stuckRun.cancel()

        let redelivered = Mutex<[Bool]>([])
        let next = try await Self.worker(queue) { job in
            redelivered.withLock { $0.append(job.redelivered) }
            return .done
        }
        let running = Task { try await next.run() }
        #expect(await Self.eventually { next.counters.snapshot.completed == 1 })
        #expect(redelivered.withLock { $0 } == [true])
        await next.stop()
        try await running.value
        await next.close()
        await publisher.close()
    }

    /// `stop()` lets the jobs in flight finish and be acknowledged; the rest stay queued.
    @Test func stopFinishesJobsInFlight() async throws {
        let queue = Self.workQueue()
        let calls = Calls()
        // The jobs in flight stay in flight until the test has asked the worker to stop, however slow
        // the machine is.
        let gate = Gate()
        let worker = try await Self.worker(queue, prefetch: 3) { job in
            while !gate.isOpen { try await Task.sleep(for: .milliseconds(10)) }
            _ = calls.record(job.id)
            return .done
        }
        let running = Task { try await worker.run() }
        let publisher = try await TestBroker.connect("worker-stop")
        for index in 0..<10 { try await Self.publish("slow-\(index)", to: queue, via: publisher) }
        #expect(await Self.eventually { worker.counters.snapshot.inFlight == 3 })
        await worker.stop()
        gate.open()
        try await running.value
        let done = worker.counters.snapshot
        #expect(done.inFlight == 0)
        #expect(done.completed == 3)
        #expect(done.completed == calls.total)
        #expect(done.lostSettlements == 0)
        await worker.close()

        // The other seven are still there for the next worker.
        let next = try await Self.worker(queue) { job in
            _ = calls.record(job.id)
            return .done
        }
        let nextRun = Task { try await next.run() }
        #expect(await Self.eventually { calls.total == 10 })
        #expect((0..<10).allSatisfy { calls.count("slow-\($0)") == 1 })
        await next.stop()
        try await nextRun.value
        await next.close()
        await publisher.close()
    }
}
