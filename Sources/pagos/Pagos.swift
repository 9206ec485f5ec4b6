import AMQP
import ArgumentParser
import Foundation
import Ledger
import Logging
import ServiceLifecycle
import Services

/// `pagos SERVICE`: runs one GestorPagos service (DESIGN §8). Thin: options in, services out.
@main
struct Pagos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pagos",
        abstract: "Runs one GestorPagos service.",
        subcommands: [Users.self, Payments.self, Reports.self, Notifications.self]
    )
}

/// What every service takes.
struct CommonOptions: ParsableArguments {
    @Option(help: "Ledger database URL: sqlite://data/ledger.sqlite, postgres://..., mysql://... (env DATABASE_URL).")
    var database: String = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "sqlite://data/ledger.sqlite"

    @Option(help: "RabbitMQ URL (env AMQP_URL).")
    var amqp: String = ProcessInfo.processInfo.environment["AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/"

    @Option(help: "Prefix of every exchange and queue name, to keep systems apart on one broker (env PAGOS_AMQP_PREFIX).")
    var amqpPrefix: String = ProcessInfo.processInfo.environment["PAGOS_AMQP_PREFIX"] ?? ""

    var topology: PagosTopology { PagosTopology(prefix: amqpPrefix) }

    @Option(help: "Address to listen on (the services trust X-User-Id: keep them on loopback, behind the gateway).")
    var host: String = "127.0.0.1"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env PAGOS_LOG_LEVEL).")
    var logLevel: String = ProcessInfo.processInfo.environment["PAGOS_LOG_LEVEL"] ?? "info"

    func logger(_ service: String) -> Logger {
        var logger = Logger(label: "pagos.\(service)")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }

    func openLedger(_ logger: Logger) async throws -> any LedgerStore {
        try await SQLLedgerStore.open(LedgerConfiguration(url: try DatabaseURL(database), logger: logger))
    }

    func amqpURL() throws -> AMQPURL { try AMQPURL(amqp) }

    /// Runs `services` until SIGTERM/SIGINT, then shuts them down gracefully (workers finish their
    /// jobs), and runs `cleanup` (closing connections and the ledger) whether they stopped or failed.
    func run(_ services: [any Service], logger: Logger, cleanup: () async -> Void) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            logger.error("stopped", metadata: ["error": "\(error)"])
            await cleanup()
            throw error
        }
        await cleanup()
    }
}

extension Pagos {
    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Users, balances, login and the legacy /usuarios API (port 5004)."
        )
        @OptionGroup var common: CommonOptions
        @Option var port = 5004
        @Option(help: "HS256 secret for access tokens (env JWT_SECRET).")
        var jwtSecret: String = ProcessInfo.processInfo.environment["JWT_SECRET"] ?? ""
        @Option(help: "The tokens' iss claim (env PAGOS_JWT_ISS).")
        var jwtIssuer: String = ProcessInfo.processInfo.environment["PAGOS_JWT_ISS"] ?? "gestorpagos"
        @Option(help: "Token lifetime in seconds.")
        var expiresIn: Int = 3600
        @Option(help: "HS256 (with JWT_SECRET), RS256 or EdDSA (with --jwt-private-key) (env PAGOS_JWT_ALGORITHM).")
        var jwtAlgorithm: String = ProcessInfo.processInfo.environment["PAGOS_JWT_ALGORITHM"] ?? "HS256"
        @Option(help: "PEM private key file for RS256 or EdDSA (env PAGOS_JWT_PRIVATE_KEY).")
        var jwtPrivateKey: String = ProcessInfo.processInfo.environment["PAGOS_JWT_PRIVATE_KEY"] ?? ""

        func signing() throws -> TokenIssuer.Signing {
            switch jwtAlgorithm.uppercased() {
            case "HS256":
                guard !jwtSecret.isEmpty else {
                    throw ValidationError("JWT_SECRET (or --jwt-secret) is required to sign HS256 access tokens")
                }
                return .hs256(secret: jwtSecret)
            case "RS256", "EDDSA":
                guard !jwtPrivateKey.isEmpty else {
                    throw ValidationError("--jwt-private-key (or PAGOS_JWT_PRIVATE_KEY) is required for \(jwtAlgorithm)")
                }
                let pem = try String(contentsOfFile: jwtPrivateKey, encoding: .utf8)
                return jwtAlgorithm.uppercased() == "RS256" ? .rs256(privateKeyPEM: pem) : .edDSA(privateKeyPEM: pem)
            default:
                throw ValidationError("--jwt-algorithm must be HS256, RS256 or EdDSA")
            }
        }

        func run() async throws {
            let logger = common.logger("users")
            let signing = try signing()
            let ledger = try await common.openLedger(logger)
            let publisher = AMQPConnection(
                configuration: AMQPConfiguration(url: try common.amqpURL(), connectionName: "pagos users"),
                logger: logger
            )
            let service = UsersService(
                ledger: ledger,
                hasher: PasswordHasher(),
                tokens: try await TokenIssuer(signing: signing, issuer: jwtIssuer, lifetime: .seconds(expiresIn)),
                payments: PaymentJobPublisher(connection: publisher, queue: common.topology.paymentJobs),
                logger: logger
            )
            try await common.run(
                [ServiceServer(router: service.router, host: common.host, port: port, logger: logger)],
                logger: logger
            ) {
                await publisher.close()
                try? await ledger.close()
            }
        }
    }

    struct Payments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The payments worker and /transactions (port 5001).")
        @OptionGroup var common: CommonOptions
        @Option var port = 5001
        @Option(help: "Jobs handled at once.")
        var prefetch: UInt16 = 16
        @Option(help: "Retries of a failing job before it is dead-lettered.")
        var retries = 3

        func run() async throws {
            let logger = common.logger("payments")
            let ledger = try await common.openLedger(logger)
            let url = try common.amqpURL()
            let eventsConnection = AMQPConnection(
                configuration: AMQPConfiguration(
                    url: url,
                    connectionName: "pagos payments outbox",
                    topology: OutboxRelay.topology(exchange: common.topology.eventsExchange)
                ),
                logger: logger
            )
            let outbox = OutboxRelay(
                ledger: ledger,
                connection: eventsConnection,
                exchange: common.topology.eventsExchange,
                logger: logger
            )
            let handler = PaymentJobHandler(ledger: ledger, outbox: outbox, logger: logger)
            let worker = Worker(
                configuration: WorkerConfiguration(
                    url: url,
                    queue: common.topology.paymentJobs,
                    prefetch: prefetch,
                    retry: RetryPolicy(maxRetries: retries, delay: .seconds(5)),
                    name: "pagos payments"
                ),
                handler: handler,
                logger: logger
            )
            let http = PaymentsService(ledger: ledger, handler: handler, worker: worker)
            try await common.run(
                [worker, outbox, ServiceServer(router: http.router, host: common.host, port: port, logger: logger)],
                logger: logger
            ) {
                await worker.close()
                await eventsConnection.close()
                try? await ledger.close()
            }
        }
    }

    struct Reports: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Summaries and exports of transactions (port 5003).")
        @OptionGroup var common: CommonOptions
        @Option var port = 5003

        func run() async throws {
            let logger = common.logger("reports")
            let ledger = try await common.openLedger(logger)
            let service = ReportsService(ledger: ledger)
            try await common.run(
                [ServiceServer(router: service.router, host: common.host, port: port, logger: logger)],
                logger: logger
            ) {
                try? await ledger.close()
            }
        }
    }

    struct Notifications: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Notifications of payment events (port 5005).")
        @OptionGroup var common: CommonOptions
        @Option var port = 5005
        @Option(help: "POST each new notification here (env PAGOS_WEBHOOK_URL).")
        var webhook: String = ProcessInfo.processInfo.environment["PAGOS_WEBHOOK_URL"] ?? ""

        func run() async throws {
            let logger = common.logger("notifications")
            let ledger = try await common.openLedger(logger)
            var hook: Webhook?
            if !webhook.isEmpty {
                guard let url = URL(string: webhook), url.scheme == "http" || url.scheme == "https" else {
                    throw ValidationError("PAGOS_WEBHOOK_URL must be an http(s) URL")
                }
                hook = Webhook(url: url, logger: logger)
            }
            let worker = Worker(
                configuration: WorkerConfiguration(
                    url: try common.amqpURL(),
                    queue: common.topology.notificationEvents,
                    name: "pagos notifications"
                ),
                messageHandler: PaymentEventHandler(ledger: ledger, webhook: hook, logger: logger),
                logger: logger
            )
            let service = NotificationsService(ledger: ledger)
            try await common.run(
                [worker, ServiceServer(router: service.router, host: common.host, port: port, logger: logger)],
                logger: logger
            ) {
                await worker.close()
                try? await ledger.close()
            }
        }
    }
}
