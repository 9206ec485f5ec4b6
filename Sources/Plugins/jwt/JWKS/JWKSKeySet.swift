import Gateway
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The keys of one JWKS endpoint for one algorithm, kept fresh in the background and shared by
/// every credential (and every configuration, across reloads) that names the same `jwks_uri`.
///
/// Lookups are synchronous and take a lock for a dictionary read; only a token with an unknown
/// `kid` may wait, for a (rate-limited) refetch. A failed fetch keeps the last good keys.
final class JWKSKeySet: Sendable {
    /// What a lookup found.
    enum Lookup {
        /// The key for the token's `kid`.
        case found(JWTVerificationKey)
        /// A fetch is under way (started by this lookup or an earlier one): look again when it ends.
        case refreshing(EventLoopFuture<Void>)
        /// No such key, and no fetch is allowed now.
        case missing
    }

    let endpoint: JWKSEndpoint
    let algorithm: JWTAlgorithm
    private let tls: OutboundTLS?
    private let loop: any EventLoop
    private let logger: Logger
    private let clock: @Sendable () -> Double
    private let state: NIOLockedValueBox<State>

    private struct State {
        var document = JWKSDocument()
        var refresh: JWKSRefreshState
        var inFlight: EventLoopPromise<Void>?
    }

    /// Creates the set and starts its first fetch.
    init(
        endpoint: JWKSEndpoint,
        algorithm: JWTAlgorithm,
        tls: OutboundTLS?,
        timing: JWKSRefreshState.Timing,
        loop: any EventLoop,
        logger: Logger,
        clock: @escaping @Sendable () -> Double
    ) {
        self.endpoint = endpoint
        self.algorithm = algorithm
        self.tls = tls
        self.loop = loop
        self.logger = logger
        self.clock = clock
        self.state = NIOLockedValueBox(State(refresh: JWKSRefreshState(timing: timing)))
        backgroundRefresh()
    }

    /// The key for a token's `kid`, or what to do without it.
    func lookup(kid: String?, algorithm: JWTAlgorithm, refreshAllowed: Bool) -> Lookup {
        let now = clock()
        let (lookup, start) = state.withLockedValue { state -> (Lookup, EventLoopPromise<Void>?) in
            if let key = state.document.key(for: kid) { return (.found(key), nil) }
            guard refreshAllowed else { return (.missing, nil) }
            switch state.refresh.unknownKey(now: now) {
            case .fetch:
                let promise = loop.makePromise(of: Void.self)
                state.inFlight = promise
                return (.refreshing(promise.futureResult), promise)
            case .waitForFetch:
                if let inFlight = state.inFlight { return (.refreshing(inFlight.futureResult), nil) }
                return (.missing, nil)
            case .none:
                return (.missing, nil)
            }
        }
        if let start { fetch(completing: start) }
        return lookup
    }

    /// The number of usable keys (for tests and logs).
    var keyCount: Int { state.withLockedValue { $0.document.keys.count + $0.document.keysWithoutID.count } }

    /// Runs when the refresh timer fires: fetches if the set is due.
    private func backgroundRefresh() {
        let now = clock()
        let start = state.withLockedValue { state -> EventLoopPromise<Void>? in
            guard state.refresh.refreshDue(now: now) == .fetch else { return nil }
            let promise = loop.makePromise(of: Void.self)
            state.inFlight = promise
            return promise
        }
        if let start { fetch(completing: start) }
    }

    private func fetch(completing promise: EventLoopPromise<Void>) {
        JWKSFetcher.get(endpoint, tls: tls, on: loop).whenComplete { [self] result in
            let now = clock()
            let document: JWKSDocument?
            var maxAge: Double?
            switch result {
            case .success(let response) where response.status == 200:
                document = JWKSDocument(response.body, algorithm: algorithm)
                maxAge = response.maxAge
                if document == nil { logger.warning("JWKS endpoint did not return a key set", metadata: metadata) }
            case .success(let response):
                document = nil
                logger.warning("JWKS endpoint answered \(response.status)", metadata: metadata)
            case .failure(let error):
                document = nil
                logger.warning("JWKS endpoint unreachable: \(error)", metadata: metadata)
            }
            let next = state.withLockedValue { state -> Double in
                state.inFlight = nil
                guard let document else { return state.refresh.fetchFailed(now: now) }
                state.document = document
                return state.refresh.fetchSucceeded(maxAge: maxAge, now: now)
            }
            promise.succeed(())
            let delay = TimeAmount.milliseconds(Int64(max(0, next - now) * 1000) + 1)
            loop.scheduleTask(in: delay) { [weak self] in self?.backgroundRefresh() }
        }
    }

    private var metadata: Logger.Metadata { ["jwks_uri": "\(endpoint)", "algorithm": "\(algorithm.rawValue)"] }
}

/// Every live ``JWKSKeySet`` by endpoint and algorithm, so that credentials, plugin instances and
/// reloaded configurations share one set (and one background refresh) per endpoint.
final class JWKSRegistry: Sendable {
    /// The process-wide registry, with the default timing, on NIO's shared event loops.
    static let shared = JWKSRegistry(timing: .init())

    let timing: JWKSRefreshState.Timing
    private let sets = NIOLockedValueBox<[String: WeakKeySet]>([:])

    init(timing: JWKSRefreshState.Timing) {
        self.timing = timing
    }

    /// The set for a credential's `jwks_uri` (created, and its first fetch started, when new); an
    /// `https` endpoint's certificate is verified against `trusted`.
    func keySet(
        for secret: JWTSecretConfig,
        trusted: TrustedCertificates,
        logger: Logger
    ) throws(JWTVerificationKey.KeyError) -> JWKSKeySet? {
        guard let uri = secret.jwksURI else { return nil }
        let endpoint = try JWKSEndpoint(jwksURI: uri)
        let name = "\(secret.algorithm.rawValue) \(uri) \(endpoint.isHTTPS ? trusted.entries : [])"
        if let existing = sets.withLockedValue({ $0[name]?.set }) { return existing }
        // Built outside the lock: loading the system's CA store takes a while.
        var tls: OutboundTLS?
        if endpoint.isHTTPS {
            do {
                tls = try OutboundTLS(host: endpoint.host, verify: true, trusted: trusted)
            } catch {
                throw .init(description: "jwks_uri \"\(uri)\": \(error)")
            }
        }
        return sets.withLockedValue { sets in
            if let existing = sets[name]?.set { return existing }
            let set = JWKSKeySet(
                endpoint: endpoint,
                algorithm: secret.algorithm,
                tls: tls,
                timing: timing,
                loop: MultiThreadedEventLoopGroup.singletonNext(),
                logger: logger,
                clock: { Double(NIODeadline.now().uptimeNanoseconds) / 1e9 }
            )
            sets = sets.filter { $0.value.set != nil }
            sets[name] = WeakKeySet(set: set)
            return set
        }
    }

    private struct WeakKeySet: Sendable {
        weak var set: JWKSKeySet?
    }
}

extension MultiThreadedEventLoopGroup {
    /// A loop of NIO's process-wide group (for background work owned by no server).
    static func singletonNext() -> any EventLoop { MultiThreadedEventLoopGroup.singleton.next() }
}
