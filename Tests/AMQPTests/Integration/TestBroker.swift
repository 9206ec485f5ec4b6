import AMQP
import Foundation
import Logging
import Synchronization
import Testing

/// The broker the integration tests run against: `scripts/test-rabbitmq.sh start` prints the
/// variables (`eval` them, or use `scripts/test-rabbitmq.sh run swift test`).
enum TestBroker {
    static let environment = ProcessInfo.processInfo.environment
    /// `PASARELA_TEST_AMQP_URL`: without it the integration tests are skipped.
    static let url = environment["PASARELA_TEST_AMQP_URL"]
    /// `PASARELA_TEST_RABBITMQ_DIR`: the broker's state directory, whose `ctl` can stop and start it.
    static let stateDirectory = environment["PASARELA_TEST_RABBITMQ_DIR"]

    static var isAvailable: Bool { url != nil }
    static var canRestart: Bool { stateDirectory != nil }

    /// A connection that is already up.
    static func connect(
        _ name: String, confirmTimeout: Duration = .seconds(10), topology: Topology = Topology(),
        heartbeat: Duration = .seconds(10)
    ) async throws -> AMQPConnection {
        var url = try AMQPURL(try #require(url))
        url.heartbeat = heartbeat
        let configuration = AMQPConfiguration(
            url: url, connectionName: "test-\(name)", heartbeat: .seconds(10), confirmTimeout: confirmTimeout,
            reconnectBackoff: Backoff(initial: .milliseconds(100), maximum: .seconds(1)), topology: topology)
        var logger = Logger(label: "test.amqp.\(name)")
        logger.logLevel = .warning
        let connection = AMQPConnection(configuration: configuration, logger: logger)
        let connected = await connection.waitUntilConnected(timeout: .seconds(20))
        try #require(connected, "could not connect to \(url)")
        return connection
    }

    /// A queue name no earlier run used; the queue expires a minute after its last use.
    static func queue(_ prefix: String, durable: Bool = false, arguments: [String: FieldValue] = [:]) -> QueueDeclaration {
        var arguments = arguments
        arguments["x-expires"] = 60_000
        return QueueDeclaration(name: "\(prefix).\(UUID().uuidString.prefix(8))", durable: durable, arguments: arguments)
    }

    /// Runs `rabbitmqctl ARGS` against the test broker.
    static func ctl(_ arguments: String...) throws {
        let directory = try #require(stateDirectory)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(directory)/ctl")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "rabbitmqctl \(arguments) failed")
    }
}

/// Collects a consumer's deliveries in the background, for tests to poll with a deadline.
final class DeliveryCollector: Sendable {
    private final class Storage: Sendable {
        let received = Mutex<[Delivery]>([])
        let ended = Mutex<(any Error)?>(nil)
    }

    private let storage = Storage()
    private let task: Task<Void, Never>

    init(_ consumer: AMQPConsumer) {
        let storage = self.storage
        task = Task {
            do {
                for try await delivery in consumer { storage.received.withLock { $0.append(delivery) } }
            } catch {
                storage.ended.withLock { $0 = error }
            }
        }
    }

    deinit { task.cancel() }

    var deliveries: [Delivery] { storage.received.withLock { $0 } }
    var error: (any Error)? { storage.ended.withLock { $0 } }

    /// Waits until at least `count` deliveries arrived (or `timeout` passed) and returns them all.
    func wait(for count: Int, timeout: Duration = .seconds(10)) async -> [Delivery] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while deliveries.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return deliveries
    }
}

/// All tests that need the broker; serialized, because one of them stops and starts it.
@Suite(
    "RabbitMQ integration", .serialized,
    .enabled(if: TestBroker.isAvailable, "PASARELA_TEST_AMQP_URL is unset: run under scripts/test-rabbitmq.sh run"))
struct RabbitMQIntegrationTests {}

extension [UInt8] {
    init(_ string: String) { self = Array(string.utf8) }
}
