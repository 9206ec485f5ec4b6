/// The queue layout shared by the gateway (which may declare it, `declare: true`) and the workers
/// (which always declare it): both must ask for the same arguments, or RabbitMQ refuses the second
/// declaration with 406 PRECONDITION_FAILED.
///
/// - `exchange`: a durable topic exchange.
/// - `queue` (named after the routing key): durable, bound to the exchange with the routing key;
///   messages it rejects go, through the default exchange, to `queue.dead`.
/// - `queue.retry`: durable; messages wait there `retryDelay`, then go back to `queue`.
/// - `queue.dead`: durable; where jobs end after their last retry, for an operator to inspect.
public struct WorkQueue: Sendable, Hashable {
    /// The exchange jobs are published to.
    public let exchange: String
    /// The routing key jobs are published with.
    public let routingKey: String
    /// The work queue's name.
    public let queue: String

    /// The layout for jobs published to `exchange` with `routingKey`; the queue is named after the key
    /// unless `queue` is given.
    public init(exchange: String, routingKey: String, queue: String? = nil) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.queue = queue ?? routingKey
    }

    /// Where rejected jobs end.
    public var deadLetterQueue: String { queue + ".dead" }
    /// Where jobs wait before a retry.
    public var retryQueue: String { queue + ".retry" }

    /// What the gateway declares: the exchange, the work queue (with its dead-letter arguments), its
    /// binding and the dead-letter queue.
    public var topology: Topology {
        var exchanges: [ExchangeDeclaration] = []
        if !exchange.isEmpty { exchanges.append(ExchangeDeclaration(name: exchange, type: .topic, durable: true)) }
        let bindings = exchange.isEmpty ? [] : [QueueBinding(queue: queue, exchange: exchange, routingKey: routingKey)]
        return Topology(
            exchanges: exchanges,
            queues: [
                QueueDeclaration(name: queue, durable: true, deadLetterExchange: "", deadLetterRoutingKey: deadLetterQueue),
                QueueDeclaration(name: deadLetterQueue, durable: true),
            ],
            bindings: bindings
        )
    }

    /// What a worker declares besides ``topology``: the retry queue, whose messages return to the work
    /// queue after `retryDelay`.
    public func workerTopology(retryDelay: Duration) -> Topology {
        var topology = self.topology
        topology.merge(
            Topology(queues: [
                QueueDeclaration(
                    name: retryQueue, durable: true, deadLetterExchange: "", deadLetterRoutingKey: queue, messageTTL: retryDelay
                )
            ])
        )
        return topology
    }
}
