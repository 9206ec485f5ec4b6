import AMQP

/// Where a ``Worker`` takes its jobs from and how it treats them.
public struct WorkerConfiguration: Sendable {
    /// The broker.
    public var url: AMQPURL
    /// The queue layout shared with the gateway's `amqp` route (exchange, routing key, queue).
    public var queue: WorkQueue
    /// At most this many jobs are handled at once (RabbitMQ's `basic.qos` prefetch).
    public var prefetch: UInt16
    /// Retries and dead-lettering.
    public var retry: RetryPolicy
    /// The name the broker shows for the worker's connections.
    public var name: String

    /// A worker for `queue` on the broker at `url`.
    public init(url: AMQPURL, queue: WorkQueue, prefetch: UInt16 = 10, retry: RetryPolicy = RetryPolicy(), name: String) {
        self.url = url
        self.queue = queue
        self.prefetch = max(1, prefetch)
        self.retry = retry
        self.name = name
    }
}
