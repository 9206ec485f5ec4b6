extension ConfigValidator {
    mutating func validateUpstreams() {
        requireUnique(config.upstreams.map { ($0.name, $0.location.appending("name")) }, what: "upstream name")
        for upstream in config.upstreams {
            let path = upstream.location
            if !NetworkSyntax.isHostname(upstream.name) {
                let name = ConfigScalar(upstream.name).quotedForMessage
                error("invalid upstream name \(name): it must be a valid host name", at: path.appending("name"))
            }
            check(upstream.slots, in: 10...65536, at: path.appending("slots"))
            validateHashing(of: upstream)
            validateHealthchecks(upstream.healthchecks, at: path.appending("healthchecks"))
            requireUnique(
                upstream.targets.map { ($0.endpoint?.description ?? $0.target, $0.location.appending("target")) },
                what: "target"
            )
            for target in upstream.targets { validate(target) }
        }
    }

    private mutating func validate(_ target: TargetConfig) {
        let path = target.location
        check(target.weight, in: 0...65535, at: path.appending("weight"))
        guard target.endpoint == nil else { return }
        let shown = ConfigScalar(target.target).quotedForMessage
        if let (host, port) = HostPort.split(target.target), NetworkSyntax.isHost(host), let port {
            error(
                "invalid port \(ConfigScalar(port).quotedForMessage) in target \(shown): must be from 1 to 65535",
                at: path.appending("target")
            )
        } else {
            error("invalid target \(shown): expected host:port", at: path.appending("target"))
        }
    }

    private mutating func validateHashing(of upstream: UpstreamConfig) {
        let path = upstream.location
        let needs: [(UpstreamConfig.HashInput, String, String?, String, String?)] = [
            (.header, "hash_on_header", upstream.hashOnHeader, "hash_fallback_header", upstream.hashFallbackHeader),
            (.cookie, "hash_on_cookie", upstream.hashOnCookie, "hash_on_cookie", upstream.hashOnCookie),
            (
                .queryArg, "hash_on_query_arg", upstream.hashOnQueryArg, "hash_fallback_query_arg",
                upstream.hashFallbackQueryArg
            ),
            (
                .uriCapture, "hash_on_uri_capture", upstream.hashOnURICapture, "hash_fallback_uri_capture",
                upstream.hashFallbackURICapture
            ),
        ]
        for (input, onField, onValue, fallbackField, fallbackValue) in needs {
            if upstream.hashOn == input, onValue == nil {
                error("hash_on \"\(input.rawValue)\" needs \"\(onField)\"", at: path.appending("hash_on"))
            }
            if upstream.hashFallback == input, fallbackValue == nil {
                error(
                    "hash_fallback \"\(input.rawValue)\" needs \"\(fallbackField)\"",
                    at: path.appending("hash_fallback")
                )
            }
        }
        if upstream.hashOn == .none, upstream.hashFallback != .none {
            error("hash_fallback needs hash_on to be set", at: path.appending("hash_fallback"))
        }
    }

    private mutating func validateHealthchecks(_ checks: HealthchecksConfig, at path: ConfigPath) {
        let active = path.appending("active")
        let passive = path.appending("passive")
        let statusLists: [([Int], ConfigPath)] = [
            (checks.active.healthy.httpStatuses, active.appending("healthy").appending("http_statuses")),
            (checks.active.unhealthy.httpStatuses, active.appending("unhealthy").appending("http_statuses")),
            (checks.passive.healthy.httpStatuses, passive.appending("healthy").appending("http_statuses")),
            (checks.passive.unhealthy.httpStatuses, passive.appending("unhealthy").appending("http_statuses")),
        ]
        for (statuses, listPath) in statusLists {
            for (index, status) in statuses.enumerated() {
                check(status, in: 100...999, at: listPath.appending(index: index))
            }
        }
        check(checks.active.concurrency, in: 1...2_147_483_648, at: active.appending("concurrency"))
        if !checks.active.httpPath.hasPrefix("/") {
            error("must start with \"/\"", at: active.appending("http_path"))
        }
        let durations = [
            (checks.active.timeout, active.appending("timeout")),
            (checks.active.healthy.interval, active.appending("healthy").appending("interval")),
            (checks.active.unhealthy.interval, active.appending("unhealthy").appending("interval")),
        ]
        for (value, at) in durations where value < 0 {
            error("must not be negative", at: at)
        }
    }
}
