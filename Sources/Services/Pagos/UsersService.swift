import Foundation
import Ledger
import Logging

/// `pagos users` (port 5004): registration, login with JWTs, users and balances, deposits, and the
/// seed system's Spanish API (`/usuarios/{id}`), whose payment publishes a job (DESIGN §8).
public struct UsersService: Sendable {
    let ledger: any LedgerStore
    let hasher: PasswordHasher
    let tokens: TokenIssuer
    let payments: PaymentJobPublisher
    /// The legacy API's payment when the body names no `monto`, in cents (10.00).
    let defaultLegacyAmount: Int64
    let logger: Logger

    public init(
        ledger: any LedgerStore,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        payments: PaymentJobPublisher,
        defaultLegacyAmount: Int64 = 1000,
        logger: Logger
    ) {
        self.ledger = ledger
        self.hasher = hasher
        self.tokens = tokens
        self.payments = payments
        self.defaultLegacyAmount = defaultLegacyAmount
        self.logger = logger
    }

    struct Registration: Decodable {
        var username: String
        var password: String
        var name: String
    }

    struct Login: Decodable {
        var username: String
        var password: String
    }

    struct Deposit: Decodable {
        var amount: Int64
    }

    struct LegacyPayment: Decodable {
        var monto: Decimal?
    }

    /// The user as the API shows it: `{"id","username","name","balance"}`.
    struct UserView: Encodable {
        var id: Int64
        var username: String
        var name: String
        var balance: Int64

        init(_ user: LedgerUser) {
            id = user.id
            username = user.username
            name = user.name
            balance = user.balance
        }
    }

    /// The legacy view: `{"nombre","saldo"}` with the balance in major units.
    struct LegacyUserView: Encodable {
        var nombre: String
        var saldo: Decimal

        init(_ user: LedgerUser) {
            nombre = user.name
            saldo = Money.majorUnits(user.balance)
        }
    }

    struct LegacyPaymentView: Encodable {
        var mensaje: String
        var usuario: LegacyUserView
    }

    struct TokenView: Encodable {
        var accessToken: String
        var tokenType = "Bearer"
        var expiresIn: Int64

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
        }
    }

    /// The service's routes.
    public var router: ServiceRouter {
        var router = ServiceRouter()
        router.add(.POST, "/users") { request in try await register(request) }
        router.add(.POST, "/users/login") { request in try await login(request) }
        router.add(.GET, "/users") { request in try await list(request) }
        router.add(.GET, "/users/:id") { request in
            .json(UserView(try await existingUser(request.integerParameter("id"))))
        }
        router.add(.POST, "/users/:id/deposit") { request in try await deposit(request) }
        router.add(.GET, "/usuarios/:id") { request in
            .json(LegacyUserView(try await existingLegacyUser(request)))
        }
        router.add(.POST, "/usuarios/:id/pagar") { request in try await legacyPay(request) }
        return router
    }

    func register(_ request: ServiceRequest) async throws -> ServiceResponse {
        let registration = try request.decode(Registration.self)
        let username = registration.username.trimmingCharacters(in: .whitespaces)
        guard (3...64).contains(username.count), username.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            throw HTTPError(.badRequest, "username must be 3 to 64 letters, digits, '.', '_' or '-'")
        }
        guard registration.password.count >= 8, registration.password.utf8.count <= 1024 else {
            throw HTTPError(.badRequest, "password must be at least 8 characters")
        }
        let name = registration.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else { throw HTTPError(.badRequest, "name must be 1 to 200 characters") }
        let hash = try hasher.hash(registration.password)
        do {
            let user = try await ledger.createUser(NewUser(username: username, name: name, passwordHash: hash))
            logger.info("user registered", metadata: ["user": "\(user.id)"])
            return .json(UserView(user), status: .created)
        } catch let error as LedgerError {
            throw Self.httpError(error)
        }
    }

    func login(_ request: ServiceRequest) async throws -> ServiceResponse {
        let login = try request.decode(Login.self)
        let credentials = try await ledger.credentials(username: login.username)
        guard let credentials, let hash = credentials.passwordHash, hasher.verify(login.password, against: hash) else {
            throw HTTPError(.unauthorized, "Invalid username or password")
        }
        let token = try await tokens.token(userID: credentials.user.id, username: credentials.user.username)
        return .json(TokenView(accessToken: token, expiresIn: tokens.lifetime.components.seconds))
    }

    func list(_ request: ServiceRequest) async throws -> ServiceResponse {
        let limit = Int(request.query["limit"] ?? "") ?? 100
        let after = request.query["after"].flatMap { Int64($0) }
        let users = try await ledger.users(after: after, limit: limit)
        return .json(["users": users.map(UserView.init)])
    }

    func deposit(_ request: ServiceRequest) async throws -> ServiceResponse {
        let id = try request.integerParameter("id")
        if let caller = request.headers.first(name: "X-User-Id"), caller != String(id) {
            throw HTTPError(.forbidden, "You may only deposit into your own account")
        }
        let deposit = try request.decode(Deposit.self)
        do {
            return .json(UserView(try await ledger.deposit(userID: id, amount: deposit.amount)))
        } catch let error as LedgerError {
            throw Self.httpError(error)
        }
    }

    func legacyPay(_ request: ServiceRequest) async throws -> ServiceResponse {
        let user = try await existingLegacyUser(request)
        var amount = defaultLegacyAmount
        if !request.body.isEmpty {
            guard let body = try? JSONDecoder().decode(LegacyPayment.self, from: Data(request.body)) else {
                throw HTTPError(.badRequest, "El cuerpo debe ser JSON: {\"monto\": N}")
            }
            if let monto = body.monto {
                guard let cents = Money.cents(fromMajorUnits: monto) else {
                    throw HTTPError(.badRequest, "El monto debe ser un número positivo con hasta dos decimales")
                }
                amount = cents
            }
        }
        do {
            let jobID = try await payments.publishPayment(
                userID: user.id,
                amount: amount,
                path: request.path,
                requestID: request.headers.first(name: "X-Request-Id")
            )
            logger.info("legacy payment queued", metadata: ["user": "\(user.id)", "job": "\(jobID)", "amount": "\(amount)"])
        } catch {
            logger.warning("legacy payment not queued", metadata: ["user": "\(user.id)", "error": "\(error)"])
            var response = ServiceResponse.message(.serviceUnavailable, "No se pudo enviar la solicitud de pago")
            response.headers.add(name: "Retry-After", value: "5")
            return response
        }
        return .json(LegacyPaymentView(mensaje: "Solicitud de pago enviada", usuario: LegacyUserView(user)))
    }

    func existingUser(_ id: Int64) async throws -> LedgerUser {
        guard let user = try await ledger.user(id: id) else { throw HTTPError(.notFound, "User not found") }
        return user
    }

    func existingLegacyUser(_ request: ServiceRequest) async throws -> LedgerUser {
        guard let id = Int64(request.parameters["id"] ?? ""), let user = try await ledger.user(id: id) else {
            throw HTTPError(.notFound, "Usuario no encontrado")
        }
        return user
    }

    static func httpError(_ error: LedgerError) -> HTTPError {
        switch error {
        case .usernameTaken: HTTPError(.conflict, error.description)
        case .unknownUser: HTTPError(.notFound, "User not found")
        case .invalidAmount, .invalidArgument: HTTPError(.badRequest, error.description)
        default: HTTPError(.internalServerError, "internal error")
        }
    }
}
