import AMQP
import Foundation
import ProcessTestSupport
import Logging
import Synchronization

/// The broker the integration tests run against: `scripts/test-rabbitmq.sh start` prints the
/// variables (`eval` them, or use `scripts/test-rabbitmq.sh run swift test`).
public enum TestBroker {
    public static let environment = ProcessInfo.processInfo.environment
    /// `PASARELA_TEST_AMQP_URL`: without it the integration tests are skipped.
    public static let url = environment["PASARELA_TEST_AMQP_URL"]
    /// `PASARELA_TEST_RABBITMQ_DIR`: the broker's state directory, whose `ctl` can stop and start it.
    public static let stateDirectory = environment["PASARELA_TEST_RABBITMQ_DIR"]

    public static var isAvailable: Bool { url != nil }
    public static var canRestart: Bool { stateDirectory != nil }

    /// Why a test could not use the broker.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The broker's URL, parsed.
    public static func amqpURL() throws -> AMQPURL {
        guard let url else { throw Unavailable(description: "PASARELA_TEST_AMQP_URL is unset") }
        return try AMQPURL(url)
    }

    /// A connection that is already up.
    public static func connect(
        _ name: String,
        confirmTimeout: Duration = .seconds(10),
        topology: Topology = Topology(),
        heartbeat: Duration = .seconds(10)
    ) async throws -> AMQPConnection {
        var url = try amqpURL()
        url.heartbeat = heartbeat
        let configuration = AMQPConfiguration(
            url: url,
            connectionName: "test-\(name)",
            heartbeat: .seconds(10),
            confirmTimeout: confirmTimeout,
            reconnectBackoff: Backoff(initial: .milliseconds(100), maximum: .seconds(1)),
            topology: topology
        )
        var logger = Logger(label: "test.amqp.\(name)")
        logger.logLevel = .warning
        let connection = AMQPConnection(configuration: configuration, logger: logger)
        guard await connection.waitUntilConnected(timeout: .seconds(20)) else {
            throw Unavailable(description: "could not connect to \(url)")
        }
        return connection
    }

    /// A queue name no earlier run used; the queue expires a minute after its last use.
    public static func queue(_ prefix: String, durable: Bool = false, arguments: [String: FieldValue] = [:]) -> QueueDeclaration {
        var arguments = arguments
        arguments["x-expires"] = 60_000
        return QueueDeclaration(name: uniqueName(prefix), durable: durable, arguments: arguments)
    }

    /// `prefix` with a random suffix, for exchanges and queues no earlier run used.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Runs `rabbitmqctl ARGS` against the test broker.
    public static func ctl(_ arguments: String...) async throws {
        guard let directory = stateDirectory else {
            throw Unavailable(description: "PASARELA_TEST_RABBITMQ_DIR is unset: cannot control the broker")
        }
        let (status, output) = try await ChildProcess.run("\(directory)/ctl", arguments)
        guard status == 0 else { throw Unavailable(description: "rabbitmqctl \(arguments) exited with \(status): \(output)") }
    }
}

/// Collects a consumer's deliveries in the background, for tests to poll with a deadline.
public final class DeliveryCollector: Sendable {
    private final class Storage: Sendable {
        let received = Mutex<[Delivery]>([])
        let ended = Mutex<(any Error)?>(nil)
    }

    private let storage = Storage()
    private let task: Task<Void, Never>

    public init(_ consumer: AMQPConsumer) {
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

    public var deliveries: [Delivery] { storage.received.withLock { $0 } }
    public var error: (any Error)? { storage.ended.withLock { $0 } }

    /// Waits until at least `count` deliveries arrived (or `timeout` passed) and returns them all.
    public func wait(for count: Int, timeout: Duration = .seconds(10)) async -> [Delivery] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while deliveries.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return deliveries
    }
}
