import Gateway
import Testing

@Suite struct ConfigKongExampleTests {
    @Test func kongStyleFileLoadsWithoutErrors() throws {
        let result = ConfigTestSupport.load(
            try ConfigTestSupport.fixture("kong-example.yaml"),
            file: "kong-example.yaml"
        )
        #expect(ConfigTestSupport.lines(result) == [])
        let config = try #require(result.config)
        #expect(config.services.map(\.name) == ["example-service", "jwt-service"])
        #expect(config.routes.map(\.name) == ["example-route", "jwt-route", "flat-route"])
        #expect(config.routes.map(\.serviceIndex) == [0, 1, 0])
        #expect(config.plugins.count == 6)
        #expect(config.consumers.map(\.username) == ["example-user", "mobile-app"])
        #expect(config.consumers[1].jwtSecrets.first?.algorithm == .rs256)
        #expect(config.upstreams.first?.healthchecks.active.healthy.successes == 2)
        #expect(config.upstreams.first?.targets.map(\.weight) == [100, 100])
    }

    /// The shape of DESIGN.md §4.1, with its environment.
    static let designExample = """
        _format_version: "3.0"

        pasarela:
          proxy_listen: 0.0.0.0:8000
          admin_listen: 127.0.0.1:8001
          admin_token: ${PASARELA_ADMIN_TOKEN:-}
          drain_timeout: 10s
          trusted_ips: []
          client_header_timeout: 10s
          client_body_timeout: 60s
          keepalive_timeout: 60s

        services:
          - name: users
            url: http://127.0.0.1:5004
            connect_timeout: 2000
            read_timeout: 10000
            write_timeout: 10000
            retries: 2
            routes:
              - name: users-api
                paths: [/users]
                methods: [GET, POST]
                strip_path: false
            plugins:
              - name: jwt
                config:
                  claims_to_headers: {sub: X-User-Id}

          - name: payments-queue
            protocol: amqp
            url: amqp://guest:guest@127.0.0.1:5672/%2F
            amqp:
              exchange: pagos
              routing_key: payment.requested
              mode: async
              reply_timeout: 5000
              confirm_timeout: 5000
              declare: true
            routes:
              - paths: ["~/users/(?<user_id>\\\\d+)/pay$"]
                methods: [POST]

        upstreams:
          - name: reports-upstream
            algorithm: round-robin
            targets: [{target: 127.0.0.1:5003, weight: 100}]
            healthchecks:
              active:
                healthy: {interval: 5, successes: 1}
                unhealthy: {interval: 5, http_failures: 2}

        consumers:
          - username: gestorpagos-app
            custom_id: "1"
            jwt_secrets:
              - key: gestorpagos
                algorithm: HS256
                secret: ${JWT_SECRET}
            acls: [{group: payers}]
          - username: legacy-client
            keyauth_credentials:
              - key: ${LEGACY_API_KEY}

        plugins:
          - name: correlation-id
          - name: rate-limiting
            config: {minute: 600, policy: local, limit_by: consumer}
        """

    static let designEnvironment = [
        "JWT_SECRET": "0123456789abcdef0123456789abcdef0123456789abcdef", "LEGACY_API_KEY": "legacy-key",
    ]

    @Test func designExampleLoads() throws {
        let result = ConfigTestSupport.load(
            Self.designExample,
            environment: Self.designEnvironment,
            file: "gateway.yaml"
        )
        #expect(ConfigTestSupport.lines(result) == [])
        let config = try #require(result.config)

        #expect(config.settings.proxyListen == "0.0.0.0:8000")
        #expect(config.settings.adminToken == "")
        #expect(config.settings.drainTimeout == .seconds(10))
        #expect(config.settings.maxHeaderSize.bytes == 32768)
        #expect(config.settings.clientMaxBodySize.bytes == 0)

        let users = try #require(config.service(named: "users"))
        #expect(users.protocol == .http)
        #expect(users.host == "127.0.0.1")
        #expect(users.port == 5004)
        #expect(users.connectTimeout == 2000)
        #expect(users.retries == 2)

        let queue = try #require(config.service(named: "payments-queue"))
        #expect(queue.protocol == .amqp)
        #expect(queue.port == 5672)
        #expect(queue.path == "/%2F")
        #expect(queue.url == "amqp://guest:guest@127.0.0.1:5672/%2F")
        #expect(queue.amqp?.exchange == "pagos")
        #expect(queue.amqp?.routingKey == "payment.requested")
        #expect(queue.amqp?.mode == .async)
        #expect(queue.amqp?.declare == true)

        #expect(config.routes[1].paths == [#"~/users/(?<user_id>\d+)/pay$"#])
        #expect(config.consumers[0].jwtSecrets[0].secret == Self.designEnvironment["JWT_SECRET"])
        #expect(config.consumers[1].keyauthCredentials[0].key == "legacy-key")
        #expect(config.plugins.map(\.name) == ["jwt", "correlation-id", "rate-limiting"])
        #expect(config.plugins[0].scope == PluginScope(service: 0))
        #expect(config.plugins[1].scope.isGlobal)
    }

    @Test func kongDefaultsApply() throws {
        let config = try #require(
            ConfigTestSupport.load(
                """
                _format_version: "3.0"
                services:
                  - host: example.com
                    routes: [{paths: [/]}]
                upstreams: [{name: up, targets: [{target: example.com}]}]
                plugins: [{name: cors}]
                consumers:
                  - username: a
                    jwt_secrets: [{key: k, secret: 0123456789abcdef0123456789abcdef}]
                """
            ).config
        )
        let service = config.services[0]
        #expect(service.protocol == .http)
        #expect(service.port == 80)
        #expect(service.path == nil)
        #expect([service.connectTimeout, service.readTimeout, service.writeTimeout] == [60000, 60000, 60000])
        #expect(service.retries == 5)
        #expect(service.enabled)
        let route = config.routes[0]
        #expect(route.stripPath)
        #expect(!route.preserveHost)
        #expect(route.regexPriority == 0)
        #expect(route.pathHandling == .v0)
        #expect(route.protocols == [.http, .https])
        #expect(route.httpsRedirectStatusCode == 426)
        let upstream = config.upstreams[0]
        #expect(upstream.algorithm == .roundRobin)
        #expect(upstream.slots == 10000)
        #expect(upstream.healthchecks.active.unhealthy.httpStatuses == [429, 404, 500, 501, 502, 503, 504, 505])
        #expect(upstream.healthchecks.passive.unhealthy.httpStatuses == [429, 500, 503])
        #expect(upstream.targets[0].weight == 100)
        #expect(upstream.targets[0].endpoint == HostPort(host: "example.com", port: 8000))
        #expect(config.plugins[0].enabled)
        #expect(config.plugins[0].protocols == [.grpc, .grpcs, .http, .https])
        #expect(config.consumers[0].jwtSecrets[0].algorithm == .hs256)
        #expect(config.settings == PasarelaSettings())
    }

    @Test func adminListenMayBeOff() throws {
        let result = ConfigTestSupport.load("_format_version: \"3.0\"\npasarela: {admin_listen: \"off\"}\n")
        #expect(ConfigTestSupport.lines(result) == [])
        #expect(result.config?.settings.adminListen == "off")
    }

    @Test func trustedCertificatesAsKongsCommaSeparatedStringOrAList() throws {
        let file = ConfigTestSupport.fixturesDirectory.appendingPathComponent("kong-example.yaml").path
        let asString = ConfigTestSupport.load(
            "_format_version: \"3.0\"\npasarela: {lua_ssl_trusted_certificate: \"system, \(file)\"}\n"
        )
        #expect(ConfigTestSupport.lines(asString) == [])
        #expect(asString.config?.settings.luaSSLTrustedCertificate.entries == ["system", file])
        #expect(asString.config?.settings.luaSSLTrustedCertificate.includesSystem == true)
        let asList = ConfigTestSupport.load(
            "_format_version: \"3.0\"\npasarela: {lua_ssl_trusted_certificate: [\"\(file)\"]}\n"
        )
        #expect(ConfigTestSupport.lines(asList) == [])
        #expect(asList.config?.settings.luaSSLTrustedCertificate.files == [file])
        #expect(asList.config?.settings.luaSSLTrustedCertificate.includesSystem == false)
        #expect(PasarelaSettings().luaSSLTrustedCertificate.entries == ["system"])
    }

    @Test func loadsFromAPathAndReportsAnUnreadableOne() throws {
        let path = ConfigTestSupport.fixturesDirectory.appendingPathComponent("kong-example.yaml").path
        let loaded = ConfigLoader.load(path: path, environment: [:], knownPluginNames: ConfigTestSupport.pluginNames)
        #expect(loaded.succeeded)
        #expect(loaded.config?.document.file == path)

        let missing = ConfigLoader.load(path: "/nonexistent/gateway.yaml", knownPluginNames: [])
        #expect(!missing.succeeded)
        #expect(
            missing.diagnostics.errors.first?.description.hasPrefix(
                "/nonexistent/gateway.yaml:1:1: <root>: cannot read the file"
            ) == true
        )
    }

    @Test func pluginConfigsAreCheckedInTheSamePass() {
        struct CorsConfig: Decodable {
            var maxAge: Int?
            private enum CodingKeys: String, CodingKey { case maxAge = "max_age" }
        }
        let result = ConfigLoader.load(
            contents: """
                _format_version: "3.0"
                routes: [{paths: ["nope"]}]
                plugins:
                  - name: cors
                    config: {max_age: soon, maxage: 1}
                """,
            file: "g.yaml",
            environment: [:],
            knownPluginNames: ["cors"],
            checkPlugin: { plugin, document, diagnostics in
                _ = ConfigDecoder.decode(
                    CorsConfig.self,
                    from: plugin.configNode(in: document),
                    at: plugin.configLocation,
                    into: &diagnostics
                )
            }
        )
        #expect(
            ConfigTestSupport.lines(result) == [
                "g.yaml:2:10: routes[0]: warning: route has no service",
                #"g.yaml:2:19: routes[0].paths[0]: must start with "/" or "~""#,
                #"g.yaml:5:23: plugins[0].config.max_age: expected an integer, found "soon""#,
                #"g.yaml:5:29: plugins[0].config.maxage: unknown field "maxage"; did you mean "max_age"?"#,
            ]
        )
    }
}
