extension ConfigValidator {
    mutating func validateRoutes() {
        requireUnique(
            config.routes.compactMap { route in route.name.map { ($0, route.location.appending("name")) } },
            what: "route name"
        )
        for route in config.routes {
            validateMatchFields(of: route)
            validatePaths(of: route)
            validateHeaders(of: route)
            validateEndpoints(route.sources, field: "sources", of: route)
            validateEndpoints(route.destinations, field: "destinations", of: route)
            let path = route.location
            for (index, kind) in route.protocols.enumerated() where kind.isAMQP {
                error(
                    "\"\(kind.rawValue)\" is a service protocol; a route to an amqp service accepts http or https",
                    at: path.appending("protocols").appending(index: index)
                )
            }
            if ![426, 301, 302, 307, 308].contains(route.httpsRedirectStatusCode) {
                error(
                    "expected one of 426, 301, 302, 307, 308, found \(route.httpsRedirectStatusCode)",
                    at: path.appending("https_redirect_status_code")
                )
            }
            if route.serviceIndex == nil, route.service == nil {
                warning("route has no service", at: path)
            }
        }
    }

    private mutating func validateMatchFields(of route: RouteConfig) {
        let path = route.location
        if route.protocols.isEmpty || route.protocols.contains(where: \.isHTTPFamily) {
            if !hasAny(of: ["methods", "hosts", "headers", "paths", "snis"], at: path) {
                error(
                    "a route needs at least one of \"methods\", \"hosts\", \"headers\", \"paths\", \"snis\"",
                    at: path
                )
            }
        } else if !hasAny(of: ["sources", "destinations", "snis"], at: path) {
            error("a stream route needs at least one of \"sources\", \"destinations\", \"snis\"", at: path)
        }
        for (index, method) in route.methods.enumerated()
        where method.isEmpty || !method.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            error(
                "invalid method \(ConfigScalar(method).quotedForMessage): must be upper-case letters",
                at: path.appending("methods").appending(index: index)
            )
        }
        for (index, host) in route.hosts.enumerated() {
            if let problem = NetworkSyntax.routeHostProblem(host) {
                error(
                    "invalid host \(ConfigScalar(host).quotedForMessage): \(problem)",
                    at: path.appending("hosts").appending(index: index)
                )
            }
        }
        for (index, sni) in route.snis.enumerated() {
            let name = sni.hasPrefix("*.") ? String(sni.dropFirst(2)) : sni
            if !NetworkSyntax.isHostname(name) || NetworkSyntax.isIPv4(name) {
                error(
                    "invalid SNI \(ConfigScalar(sni).quotedForMessage)",
                    at: path.appending("snis").appending(index: index)
                )
            }
        }
    }

    private mutating func validatePaths(of route: RouteConfig) {
        for (index, routePath) in route.paths.enumerated() {
            let at = route.location.appending("paths").appending(index: index)
            if routePath.hasPrefix("~") {
                checkRegex(String(routePath.dropFirst()), at: at)
            } else if !routePath.hasPrefix("/") {
                error("must start with \"/\" or \"~\"", at: at)
            }
        }
    }

    private mutating func validateHeaders(of route: RouteConfig) {
        let path = route.location.appending("headers")
        for name in route.headers.keys.sorted() {
            let at = path.appending(name)
            if !NetworkSyntax.isHeaderName(name) {
                error("invalid header name \(ConfigScalar(name).quotedForMessage)", atKey: at)
            } else if name.lowercased() == "host" {
                error("use \"hosts\" to match the Host header", atKey: at)
            }
            let values = route.headers[name] ?? []
            if values.isEmpty { error("a header needs at least one value", at: at) }
            for (index, value) in values.enumerated() where value.hasPrefix("~*") {
                checkRegex(String(value.dropFirst(2)), at: at.appending(index: index))
            }
        }
    }

    private mutating func validateEndpoints(_ endpoints: [RouteEndpoint], field: String, of route: RouteConfig) {
        for endpoint in endpoints {
            if endpoint.ip == nil, endpoint.port == nil {
                error("needs \"ip\" or \"port\"", at: endpoint.location)
            }
            if let ip = endpoint.ip, !NetworkSyntax.isCIDR(ip) {
                error(
                    "invalid IP address or CIDR range \(ConfigScalar(ip).quotedForMessage)",
                    at: endpoint.location.appending("ip")
                )
            }
            if let port = endpoint.port { check(port, in: 1...65535, at: endpoint.location.appending("port")) }
        }
    }

    /// An error unless `pattern` compiles as a Swift `Regex`.
    mutating func checkRegex(_ pattern: String, at path: ConfigPath) {
        do {
            _ = try Regex(pattern)
        } catch {
            let reason = "\(error)".split(separator: "\n").first.map(String.init) ?? "does not compile"
            self.error("invalid regex \(ConfigScalar(pattern).quotedForMessage): \(reason)", at: path)
        }
    }
}
