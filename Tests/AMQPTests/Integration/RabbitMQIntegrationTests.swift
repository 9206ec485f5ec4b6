import AMQPTestSupport
import Testing

/// All tests that need the broker; serialized, because one of them stops and starts it.
@Suite(
    "RabbitMQ integration", .serialized,
    .enabled(if: TestBroker.isAvailable, "PASARELA_TEST_AMQP_URL is unset: run under scripts/test-rabbitmq.sh run"))
struct RabbitMQIntegrationTests {}

extension [UInt8] {
    init(_ string: String) { self = Array(string.utf8) }
}
