extension ConfigValidator {
    mutating func validateServices() {
        requireUnique(
            config.services.compactMap { service in service.name.map { ($0, service.location.appending("name")) } },
            what: "service name"
        )
        for service in config.services {
            validateEndpoint(of: service)
            let path = service.location
            for field in [
                ("connect_timeout", service.connectTimeout), ("read_timeout", service.readTimeout),
                ("write_timeout", service.writeTimeout),
            ] {
                check(field.1, in: 1...2_147_483_646, at: path.appending(field.0))
            }
            check(service.retries, in: 0...32767, at: path.appending("retries"))
            validateAMQP(of: service)
        }
    }

    private mutating func validateEndpoint(of service: ServiceConfig) {
        let path = service.location
        let declared = service.declared
        if let url = service.url {
            switch ServiceURL.parse(url) {
            case .failure(let problem):
                error(problem.message, at: path.appending("url"))
            case .success(let parsed):
                if let kind = declared.protocol, kind != parsed.protocol {
                    error(
                        "protocol \"\(kind.rawValue)\" does not match the url's scheme \"\(parsed.protocol.rawValue)\"",
                        at: path.appending("protocol")
                    )
                }
            }
            for (field, given) in [
                ("host", declared.host != nil), ("port", declared.port != nil), ("path", declared.path != nil),
            ]
            where given {
                error("\"\(field)\" cannot be used together with \"url\"", at: path.appending(field))
            }
            return
        }
        guard let host = declared.host else {
            if !hasAny(of: ["url", "host"], at: path) { error("a service needs \"url\" or \"host\"", at: path) }
            return
        }
        if !NetworkSyntax.isHost(host) {
            error("invalid host \(ConfigScalar(host).quotedForMessage)", at: path.appending("host"))
        }
        if declared.port != nil { check(service.port, in: 1...65535, at: path.appending("port")) }
        if let servicePath = declared.path, !servicePath.hasPrefix("/") {
            error("must start with \"/\"", at: path.appending("path"))
        }
        if service.protocol == .tlsPassthrough {
            error("\"tls_passthrough\" is a route protocol, not a service protocol", at: path.appending("protocol"))
        }
    }

    private mutating func validateAMQP(of service: ServiceConfig) {
        guard let amqp = service.amqp else {
            if service.protocol.isAMQP {
                error(
                    "an \(service.protocol.rawValue) service needs an \"amqp\" block with \"routing_key\"",
                    at: service.location
                )
            }
            return
        }
        guard service.protocol.isAMQP else {
            error("\"amqp\" settings need protocol \"amqp\" or \"amqps\"", at: amqp.location)
            return
        }
        if amqp.routingKey == nil { missing("routing_key", in: amqp.location) }
        check(amqp.replyTimeout, in: 1...2_147_483_646, at: amqp.location.appending("reply_timeout"))
        check(amqp.confirmTimeout, in: 1...2_147_483_646, at: amqp.location.appending("confirm_timeout"))
    }
}
