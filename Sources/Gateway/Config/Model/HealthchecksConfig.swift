/// An upstream's `healthchecks` block, with Kong's field names and defaults.
public struct HealthchecksConfig: Sendable, Hashable, Decodable {
    /// Probes sent to targets on a timer.
    public var active: ActiveHealthcheck
    /// Health judged from proxied traffic.
    public var passive: PassiveHealthcheck
    /// Minimum percentage of healthy weight for the upstream to count as healthy (default 0).
    public var threshold: Double

    /// Kong's defaults: every check disabled (all intervals and counters 0).
    public init() {
        active = ActiveHealthcheck()
        passive = PassiveHealthcheck()
        threshold = 0
    }

    private enum CodingKeys: String, CodingKey { case active, passive, threshold }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        active = try c.value(.active, or: ActiveHealthcheck())
        passive = try c.value(.passive, or: PassiveHealthcheck())
        threshold = try c.value(.threshold, or: 0)
    }
}

/// How a health check talks to a target.
public enum HealthcheckType: String, ConfigEnum {
    case http, https, tcp, grpc, grpcs
}

/// `healthchecks.active`.
public struct ActiveHealthcheck: Sendable, Hashable, Decodable {
    /// How probes talk to targets (default `http`).
    public var type: HealthcheckType = .http
    /// Seconds before a probe times out (default 1).
    public var timeout: Double = 1
    /// Probes run at once (default 10).
    public var concurrency: Int = 10
    /// Path probed with GET (default `/`).
    public var httpPath: String = "/"
    /// SNI sent by `https` probes, if set.
    public var httpsSNI: String?
    /// Whether `https` probes verify the target's certificate (default true).
    public var httpsVerifyCertificate: Bool = true
    /// Extra headers sent by probes.
    public var headers: [String: [String]] = [:]
    /// When a target counts as healthy again.
    public var healthy = Healthy()
    /// When a target counts as unhealthy.
    public var unhealthy = Unhealthy()

    /// `active.healthy`: when a target is marked healthy again.
    public struct Healthy: Sendable, Hashable, Decodable {
        /// Seconds between probes of healthy targets; 0 disables (default 0).
        public var interval: Double = 0
        /// Probe statuses that count as successes.
        public var httpStatuses: [Int] = [200, 302]
        /// Successes needed to mark a target healthy; 0 disables (default 0).
        public var successes: Int = 0

        /// Kong's defaults.
        public init() {}
        private enum CodingKeys: String, CodingKey {
            case interval, successes
            case httpStatuses = "http_statuses"
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            interval = try c.value(.interval, or: interval)
            httpStatuses = try c.value(.httpStatuses, or: httpStatuses)
            successes = try c.value(.successes, or: successes)
        }
    }

    /// `active.unhealthy`: when a target is marked unhealthy.
    public struct Unhealthy: Sendable, Hashable, Decodable {
        /// Seconds between probes of unhealthy targets; 0 disables (default 0).
        public var interval: Double = 0
        /// Probe statuses that count as failures.
        public var httpStatuses: [Int] = [429, 404, 500, 501, 502, 503, 504, 505]
        /// TCP failures needed to mark a target unhealthy; 0 disables.
        public var tcpFailures: Int = 0
        /// Timeouts needed to mark a target unhealthy; 0 disables.
        public var timeouts: Int = 0
        /// HTTP failures needed to mark a target unhealthy; 0 disables.
        public var httpFailures: Int = 0

        /// Kong's defaults.
        public init() {}
        private enum CodingKeys: String, CodingKey {
            case interval, timeouts
            case httpStatuses = "http_statuses"
            case tcpFailures = "tcp_failures"
            case httpFailures = "http_failures"
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            interval = try c.value(.interval, or: interval)
            httpStatuses = try c.value(.httpStatuses, or: httpStatuses)
            tcpFailures = try c.value(.tcpFailures, or: tcpFailures)
            timeouts = try c.value(.timeouts, or: timeouts)
            httpFailures = try c.value(.httpFailures, or: httpFailures)
        }
    }

    /// Kong's defaults.
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case type, timeout, concurrency, headers, healthy, unhealthy
        case httpPath = "http_path"
        case httpsSNI = "https_sni"
        case httpsVerifyCertificate = "https_verify_certificate"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.value(.type, or: type)
        timeout = try c.value(.timeout, or: timeout)
        concurrency = try c.value(.concurrency, or: concurrency)
        httpPath = try c.value(.httpPath, or: httpPath)
        httpsSNI = try c.optional(.httpsSNI)
        httpsVerifyCertificate = try c.value(.httpsVerifyCertificate, or: httpsVerifyCertificate)
        headers = try c.value(.headers, or: headers)
        healthy = try c.value(.healthy, or: healthy)
        unhealthy = try c.value(.unhealthy, or: unhealthy)
    }
}

/// `healthchecks.passive`.
public struct PassiveHealthcheck: Sendable, Hashable, Decodable {
    /// What kind of traffic is judged (default `http`).
    public var type: HealthcheckType = .http
    /// Responses that count for a target.
    public var healthy = Healthy()
    /// Responses and failures that count against a target.
    public var unhealthy = Unhealthy()

    /// `passive.healthy`: responses that count as successes.
    public struct Healthy: Sendable, Hashable, Decodable {
        /// Statuses that count as successes.
        public var httpStatuses: [Int] = [200, 201, 202, 203, 204, 205, 206, 207, 208, 226] + Array(300...308)
        /// Successes needed to mark a target healthy; 0 disables (default 0).
        public var successes: Int = 0

        /// Kong's defaults.
        public init() {}
        private enum CodingKeys: String, CodingKey {
            case successes
            case httpStatuses = "http_statuses"
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            httpStatuses = try c.value(.httpStatuses, or: httpStatuses)
            successes = try c.value(.successes, or: successes)
        }
    }

    /// `passive.unhealthy`: responses and failures that count against a target.
    public struct Unhealthy: Sendable, Hashable, Decodable {
        /// Statuses that count as failures.
        public var httpStatuses: [Int] = [429, 500, 503]
        /// TCP failures needed to mark a target unhealthy; 0 disables.
        public var tcpFailures: Int = 0
        /// Timeouts needed to mark a target unhealthy; 0 disables.
        public var timeouts: Int = 0
        /// HTTP failures needed to mark a target unhealthy; 0 disables.
        public var httpFailures: Int = 0

        /// Kong's defaults.
        public init() {}
        private enum CodingKeys: String, CodingKey {
            case timeouts
            case httpStatuses = "http_statuses"
            case tcpFailures = "tcp_failures"
            case httpFailures = "http_failures"
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            httpStatuses = try c.value(.httpStatuses, or: httpStatuses)
            tcpFailures = try c.value(.tcpFailures, or: tcpFailures)
            timeouts = try c.value(.timeouts, or: timeouts)
            httpFailures = try c.value(.httpFailures, or: httpFailures)
        }
    }

    /// Kong's defaults.
    public init() {}

    private enum CodingKeys: String, CodingKey { case type, healthy, unhealthy }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.value(.type, or: type)
        healthy = try c.value(.healthy, or: healthy)
        unhealthy = try c.value(.unhealthy, or: unhealthy)
    }
}
