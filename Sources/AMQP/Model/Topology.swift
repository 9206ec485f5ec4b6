/// Exchanges, queues and bindings a connection declares, and declares again after every reconnect.
public struct Topology: Sendable, Hashable {
    /// Exchanges, declared first.
    public var exchanges: [ExchangeDeclaration]
    /// Queues, declared second.
    public var queues: [QueueDeclaration]
    /// Bindings, declared last.
    public var bindings: [QueueBinding]

    /// Creates a topology.
    public init(
        exchanges: [ExchangeDeclaration] = [], queues: [QueueDeclaration] = [], bindings: [QueueBinding] = []
    ) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    /// Whether there is nothing to declare.
    public var isEmpty: Bool { exchanges.isEmpty && queues.isEmpty && bindings.isEmpty }

    /// Adds `other`'s declarations; a declaration with the same name (or the same binding) replaces the old one.
    public mutating func merge(_ other: Topology) {
        for exchange in other.exchanges {
            exchanges.removeAll { $0.name == exchange.name }
            exchanges.append(exchange)
        }
        for queue in other.queues {
            queues.removeAll { $0.name == queue.name }
            queues.append(queue)
        }
        for binding in other.bindings where !bindings.contains(binding) {
            bindings.append(binding)
        }
    }
}

/// An exchange type; the four standard ones are constants, plugins' types can be named.
public struct ExchangeType: RawRepresentable, Sendable, Hashable {
    /// The type name sent to the broker.
    public var rawValue: String
    /// Creates a type from its name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Routes on the exact routing key.
    public static let direct = ExchangeType(rawValue: "direct")
    /// Routes to every bound queue.
    public static let fanout = ExchangeType(rawValue: "fanout")
    /// Routes on routing-key patterns (`payment.*`, `#`).
    public static let topic = ExchangeType(rawValue: "topic")
    /// Routes on header values.
    public static let headers = ExchangeType(rawValue: "headers")
}

/// `exchange.declare`.
public struct ExchangeDeclaration: Sendable, Hashable {
    /// Exchange name.
    public var name: String
    /// Exchange type.
    public var type: ExchangeType
    /// Survives a broker restart.
    public var durable: Bool
    /// Deleted when its last binding goes.
    public var autoDelete: Bool
    /// Cannot be published to directly, only through exchange-to-exchange bindings.
    public var `internal`: Bool
    /// Extra arguments (e.g. `alternate-exchange`).
    public var arguments: [String: FieldValue]

    /// Creates a declaration; by default a durable exchange.
    public init(
        name: String, type: ExchangeType = .direct, durable: Bool = true, autoDelete: Bool = false,
        internal: Bool = false, arguments: [String: FieldValue] = [:]
    ) {
        self.name = name
        self.type = type
        self.durable = durable
        self.autoDelete = autoDelete
        self.internal = `internal`
        self.arguments = arguments
    }
}

/// `queue.declare`. Names are required: server-named queues would change name on reconnect.
public struct QueueDeclaration: Sendable, Hashable {
    /// Queue name.
    public var name: String
    /// Survives a broker restart.
    public var durable: Bool
    /// Used by this connection only and deleted when it closes.
    public var exclusive: Bool
    /// Deleted when its last consumer goes.
    public var autoDelete: Bool
    /// Queue arguments (`x-dead-letter-exchange`, `x-message-ttl`, `x-queue-type`, ...).
    public var arguments: [String: FieldValue]

    /// Creates a declaration; by default a durable queue. The dead-letter and TTL parameters
    /// fill the matching `x-` arguments.
    public init(
        name: String, durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false,
        deadLetterExchange: String? = nil, deadLetterRoutingKey: String? = nil, messageTTL: Duration? = nil,
        arguments: [String: FieldValue] = [:]
    ) {
        self.name = name
        self.durable = durable
        self.exclusive = exclusive
        self.autoDelete = autoDelete
        self.arguments = arguments
        if let deadLetterExchange { self.arguments["x-dead-letter-exchange"] = .string(deadLetterExchange) }
        if let deadLetterRoutingKey { self.arguments["x-dead-letter-routing-key"] = .string(deadLetterRoutingKey) }
        if let messageTTL {
            self.arguments["x-message-ttl"] = .int(messageTTL.wholeMilliseconds)
        }
    }
}

/// `queue.bind`: messages published to `exchange` with a matching key go to `queue`.
public struct QueueBinding: Sendable, Hashable {
    /// The bound queue.
    public var queue: String
    /// The source exchange.
    public var exchange: String
    /// Binding key (a pattern for topic exchanges).
    public var routingKey: String
    /// Binding arguments (for headers exchanges).
    public var arguments: [String: FieldValue]

    /// Creates a binding.
    public init(queue: String, exchange: String, routingKey: String, arguments: [String: FieldValue] = [:]) {
        self.queue = queue
        self.exchange = exchange
        self.routingKey = routingKey
        self.arguments = arguments
    }
}
