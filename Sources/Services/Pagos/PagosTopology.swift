import AMQP

/// The RabbitMQ layout GestorPagos and the demo gateway.yaml agree on. A `prefix` (option
/// `--amqp-prefix`, env `PAGOS_AMQP_PREFIX`) keeps several systems apart on one broker, as tests do.
public struct PagosTopology: Sendable, Hashable {
    /// Prepended to every exchange and queue name.
    public var prefix: String

    public init(prefix: String = "") {
        self.prefix = prefix
    }

    /// Payment jobs: the gateway's amqp route (and the legacy `POST /usuarios/{id}/pagar`) publish
    /// to exchange `pagos` with key `payment.requested`; the payments worker consumes that queue.
    public var paymentJobs: WorkQueue {
        WorkQueue(exchange: prefix + "pagos", routingKey: "payment.requested", queue: prefix + "payment.requested")
    }

    /// Where payment events go, with keys `payment.completed` and `payment.rejected`: an exchange of
    /// their own, so that the `payment.*` binding of the notifications never catches the jobs.
    public var eventsExchange: String { prefix + "pagos.events" }

    /// The notifications service's queue of payment events.
    public var notificationEvents: WorkQueue {
        WorkQueue(exchange: eventsExchange, routingKey: "payment.*", queue: prefix + "notifications.payment-events")
    }
}
