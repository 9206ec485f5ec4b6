import Gateway
import Testing

/// Kong's nested form (routes inside services, credentials inside consumers, ...) and its
/// flat form (entities that name their parent) load to the same model.
@Suite struct ConfigFlatFormTests {
    static let nested = """
        _format_version: "3.0"
        services:
          - name: users
            url: http://127.0.0.1:5004
            routes:
              - name: users-api
                paths: [/users]
                methods: [GET]
                plugins:
                  - name: rate-limiting
                    config: {minute: 5, policy: local}
            plugins:
              - name: jwt
                config: {claims_to_verify: [exp]}
        upstreams:
          - name: reports-upstream
            targets:
              - target: 127.0.0.1:5003
                weight: 50
        consumers:
          - username: alice
            jwt_secrets:
              - key: pagos-users
                secret: 0123456789abcdef0123456789abcdef
            keyauth_credentials:
              - key: alice-key
            acls:
              - group: payers
            plugins:
              - name: request-size-limiting
                config: {allowed_payload_size: 1}
        """

    static let flat = """
        _format_version: "3.0"
        services:
          - name: users
            url: http://127.0.0.1:5004
        routes:
          - name: users-api
            service: users
            paths: [/users]
            methods: [GET]
        upstreams:
          - name: reports-upstream
        targets:
          - target: 127.0.0.1:5003
            weight: 50
            upstream: reports-upstream
        consumers:
          - username: alice
        jwt_secrets:
          - key: pagos-users
            secret: 0123456789abcdef0123456789abcdef
            consumer: alice
        keyauth_credentials:
          - key: alice-key
            consumer: {username: alice}
        acls:
          - group: payers
            consumer: alice
        plugins:
          - name: rate-limiting
            route: users-api
            config: {minute: 5, policy: local}
          - name: jwt
            service: {name: users}
            config: {claims_to_verify: [exp]}
          - name: request-size-limiting
            consumer: alice
            config: {allowed_payload_size: 1}
        """

    @Test func bothFormsLoadToTheSameModel() throws {
        let nested = ConfigTestSupport.load(Self.nested)
        let flat = ConfigTestSupport.load(Self.flat)
        #expect(ConfigTestSupport.lines(nested) == [])
        #expect(ConfigTestSupport.lines(flat) == [])
        let nestedConfig = try #require(nested.config)
        let flatConfig = try #require(flat.config)
        #expect(Self.withoutLocations(nestedConfig) == Self.withoutLocations(flatConfig))
        #expect(nestedConfig.plugins.map { Self.plain($0.config) } == flatConfig.plugins.map { Self.plain($0.config) })
    }

    @Test func referencesBecomeIndicesAndScopes() throws {
        let config = try #require(ConfigTestSupport.load(Self.flat).config)
        #expect(config.routes.map(\.serviceIndex) == [0])
        #expect(config.upstreams[0].targets.map(\.target) == ["127.0.0.1:5003"])
        #expect(config.consumers[0].jwtSecrets.map(\.key) == ["pagos-users"])
        #expect(config.consumers[0].keyauthCredentials.map(\.key) == ["alice-key"])
        #expect(config.consumers[0].acls.map(\.group) == ["payers"])
        #expect(
            config.plugins.map(\.scope) == [
                PluginScope(route: 0), PluginScope(service: 0), PluginScope(consumer: 0),
            ]
        )
        #expect(config.plugins.map(\.scope.precedence) == [2, 1, 3])
    }

    @Test func nestedElementsKeepTheirOwnPaths() throws {
        let config = try #require(ConfigTestSupport.load(Self.nested).config)
        #expect(config.routes[0].location.description == "services[0].routes[0]")
        #expect(config.plugins[0].location.description == "services[0].routes[0].plugins[0]")
        #expect(config.plugins[0].configLocation.description == "services[0].routes[0].plugins[0].config")
        #expect(config.mark(at: config.routes[0].location) == ConfigMark(line: 6, column: 9))
        #expect(config.consumers[0].jwtSecrets[0].location.description == "consumers[0].jwt_secrets[0]")
    }

    @Test func routesAndPluginsAreInFileOrder() throws {
        let config = try #require(
            ConfigTestSupport.load(
                """
                _format_version: "3.0"
                routes:
                  - {name: first, service: s, paths: [/1]}
                plugins:
                  - name: cors
                services:
                  - name: s
                    url: http://h
                    routes: [{name: second, paths: [/2]}]
                    plugins: [{name: jwt}]
                """
            ).config
        )
        #expect(config.routes.map(\.name) == ["first", "second"])
        #expect(config.plugins.map(\.name) == ["cors", "jwt"])
        #expect(config.routes(ofService: 0).count == 2)
    }

    @Test func format2RegexPathsGetTheTildePrefix() throws {
        let config = try #require(
            ConfigTestSupport.load(
                """
                _format_version: "2.1"
                services:
                  - name: s
                    url: http://h
                    routes: [{paths: ["/plain/path-1.0", "/users/\\\\d+$"]}]
                """
            ).config
        )
        #expect(config.routes[0].paths == ["/plain/path-1.0", "~/users/\\d+$"])
    }

    // MARK: Helpers

    /// The model with every file position removed, so that two layouts can be compared.
    static func withoutLocations(_ config: GatewayConfig) -> GatewayConfig {
        var config = config
        config.document = ConfigDocument(file: "", root: ConfigNode(.null, mark: .start))
        config.settings.location = .root
        config.services = config.services.map { service in
            var service = service
            service.location = .root
            return service
        }
        config.routes = config.routes.map { route in
            var route = route
            route.location = .root
            route.service = nil
            return route
        }
        config.upstreams = config.upstreams.map { upstream in
            var upstream = upstream
            upstream.location = .root
            upstream.targets = upstream.targets.map { target in
                var target = target
                target.location = .root
                target.upstream = nil
                return target
            }
            return upstream
        }
        config.consumers = config.consumers.map { consumer in
            var consumer = consumer
            consumer.location = .root
            consumer.jwtSecrets = consumer.jwtSecrets.map {
                var c = $0
                c.location = .root
                c.consumer = nil
                return c
            }
            consumer.keyauthCredentials = consumer.keyauthCredentials.map {
                var c = $0
                c.location = .root
                c.consumer = nil
                return c
            }
            consumer.acls = consumer.acls.map {
                var c = $0
                c.location = .root
                c.consumer = nil
                return c
            }
            return consumer
        }
        config.plugins = config.plugins.map { plugin in
            var plugin = plugin
            plugin.location = .root
            plugin.configLocation = .root
            plugin.config = nil
            plugin.route = nil
            plugin.service = nil
            plugin.consumer = nil
            return plugin
        }
        return config
    }

    /// A node's content without positions.
    static func plain(_ node: ConfigNode?) -> String {
        guard let node else { return "-" }
        switch node.value {
        case .null: return "null"
        case .scalar(let scalar): return scalar.quotedForMessage
        case .sequence(let items): return "[" + items.map { plain($0) }.joined(separator: ",") + "]"
        case .mapping(let entries):
            return "{" + entries.map { "\($0.key):\(plain($0.value))" }.joined(separator: ",") + "}"
        }
    }
}
