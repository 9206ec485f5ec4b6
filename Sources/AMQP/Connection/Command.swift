/// Work that callers hand to a connection's thread. Every continuation is resumed exactly once,
/// by the thread (or at once by the caller when the command is refused).
enum Command: Sendable {
    case publish(PublishRequest, PublishCompletion)
    case rpc(PublishRequest, correlationID: String, CheckedContinuation<RPCOutcome, any Error>)
    case declare(Topology, CheckedContinuation<Void, any Error>)
    case inspect(queue: String, CheckedContinuation<QueueStatus, any Error>)
    case consume(ConsumerRegistration, CheckedContinuation<Void, any Error>)
    case cancelConsumer(id: UInt64, CheckedContinuation<Void, Never>?)
    case settle(DeliveryHandle, Settlement, CheckedContinuation<Void, any Error>)
    case close(CheckedContinuation<Void, Never>?)

    /// Resumes the caller with `error` (the command was refused or could not run).
    func fail(_ error: AMQPError) {
        switch self {
        case .publish(_, let completion): completion(.failure(error))
        case .rpc(_, _, let continuation): continuation.resume(throwing: error)
        case .declare(_, let continuation): continuation.resume(throwing: error)
        case .inspect(_, let continuation): continuation.resume(throwing: error)
        case .consume(let registration, let continuation):
            registration.continuation.finish(throwing: error)
            continuation.resume(throwing: error)
        case .cancelConsumer(_, let continuation): continuation?.resume()
        case .settle(_, _, let continuation): continuation.resume(throwing: error)
        case .close(let continuation): continuation?.resume()
        }
    }
}

/// Called once, on the connection's thread, with a publish's outcome; must return quickly.
public typealias PublishCompletion = @Sendable (Result<PublishOutcome, any Error>) -> Void

/// A message to publish, with everything the thread needs.
struct PublishRequest: Sendable {
    var exchange: String
    var routingKey: String
    var body: [UInt8]
    var properties: MessageProperties
    var mandatory: Bool
    var timeout: Duration

    /// What a `basic.return` is matched on, besides exchange and routing key.
    var identity: String? { properties.messageID ?? properties.correlationID }
}

/// How a consumer asked to be set up; kept across reconnects.
struct ConsumerRegistration: Sendable {
    var id: UInt64
    var queue: String
    var prefetch: UInt16
    var exclusive: Bool
    var arguments: [String: FieldValue]
    var consumerTag: String
    var continuation: AsyncThrowingStream<Delivery, any Error>.Continuation
}

/// Which delivery to settle: the connection generation, channel and channel epoch it came from.
struct DeliveryHandle: Sendable, Hashable {
    var generation: UInt64
    var channel: UInt16
    var epoch: UInt64
    var deliveryTag: UInt64
}

/// `basic.ack`, `basic.nack` or `basic.reject`.
enum Settlement: Sendable, Hashable {
    case ack
    case nack(requeue: Bool)
    case reject(requeue: Bool)
}
