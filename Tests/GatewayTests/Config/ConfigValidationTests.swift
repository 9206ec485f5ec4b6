import Gateway
import Testing

/// One error kind per row: the YAML, and the exact report (file:line:column: path: message).
struct ValidationCase: CustomTestStringConvertible, Sendable {
    let name: String
    let yaml: String
    let expected: String
    var testDescription: String { name }
}

@Suite struct ConfigValidationTests {
    static let cases: [ValidationCase] = [
        ValidationCase(
            name: "path without slash",
            yaml: """
                _format_version: "3.0"
                services:
                  - name: s
                    url: http://127.0.0.1:80
                    routes:
                      - paths: [/ok]
                      - paths: [/ok, nope]
                """,
            expected: #"test.yaml:7:22: services[0].routes[1].paths[1]: must start with "/" or "~""#
        ),
        ValidationCase(
            name: "regex path that does not compile",
            yaml: """
                _format_version: "3.0"
                routes:
                  - paths: ["~/users/(?<id>\\\\d+"]
                    service: s
                services: [{name: s, url: "http://h"}]
                """,
            expected: #"test.yaml:3:13: routes[0].paths[0]: invalid regex "/users/(?<id>\\d+": expected ')'"#
        ),
        ValidationCase(
            name: "lower-case method",
            yaml: """
                _format_version: "3.0"
                services: [{name: s, url: "http://h"}]
                routes:
                  - service: s
                    methods: [GET, post]
                """,
            expected: #"test.yaml:5:20: routes[0].methods[1]: invalid method "post": must be upper-case letters"#
        ),
        ValidationCase(
            name: "two wildcards in a host",
            yaml: """
                _format_version: "3.0"
                services:
                  - name: s
                    url: http://h
                    routes:
                      - hosts: ["*.example.*"]
                """,
            expected:
                #"test.yaml:6:17: services[0].routes[0].hosts[0]: invalid host "*.example.*": only one leading "*." or trailing ".*" wildcard is allowed"#
        ),
        ValidationCase(
            name: "invalid header name",
            yaml: """
                _format_version: "3.0"
                services:
                  - name: s
                    url: http://h
                    routes:
                      - headers:
                          "bad header": [x]
                """,
            expected: #"test.yaml:7:11: services[0].routes[0].headers["bad header"]: invalid header name "bad header""#
        ),
        ValidationCase(
            name: "route with nothing to match",
            yaml: """
                _format_version: "3.0"
                services: [{name: s, url: "http://h"}]
                routes:
                  - name: empty
                    service: s
                    strip_path: false
                """,
            expected:
                #"test.yaml:4:5: routes[0]: a route needs at least one of "methods", "hosts", "headers", "paths", "snis""#
        ),
        ValidationCase(
            name: "unknown field with suggestion (key's mark)",
            yaml: """
                _format_version: "3.0"
                services: [{name: s, url: "http://h"}]
                routes:
                  - paths: [/a]
                    service: {name: s}
                    strp_path: false
                """,
            expected: #"test.yaml:6:5: routes[0].strp_path: unknown field "strp_path"; did you mean "strip_path"?"#
        ),
        ValidationCase(
            name: "type mismatch (value's mark)",
            yaml: """
                _format_version: "3.0"
                services:
                  - name: s
                    url: http://h
                    connect_timeout: abc
                """,
            expected: #"test.yaml:5:22: services[0].connect_timeout: expected an integer, found "abc""#
        ),
        ValidationCase(
            name: "missing required field (parent's mark)",
            yaml: """
                _format_version: "3.0"
                upstreams:
                  - name: up
                    targets:
                      - weight: 5
                """,
            expected: #"test.yaml:5:9: upstreams[0].targets[0]: missing required field "target""#
        ),
        ValidationCase(
            name: "service url with unknown scheme",
            yaml: """
                _format_version: "3.0"
                services:
                  - name: s
                    url: gopher://h
                """,
            expected:
                #"test.yaml:4:10: services[0].url: unsupported url scheme "gopher"; expected one of http, https, grpc, grpcs, tcp, tls, udp, ws, wss, amqp, amqps"#
        ),
        ValidationCase(
            name: "service url without host",
            yaml: """
                _format_version: "3.0"
                services:
                  - url: "http://:80/x"
                """,
            expected: #"test.yaml:3:10: services[0].url: url "http://:80/x" has no host"#
        ),
        ValidationCase(
            name: "protocol that contradicts the url",
            yaml: """
                _format_version: "3.0"
                services:
                  - url: http://h
                    protocol: amqp
                    amqp: {routing_key: k}
                """,
            expected: #"test.yaml:4:15: services[0].protocol: protocol "amqp" does not match the url's scheme "http""#
        ),
        ValidationCase(
            name: "amqp block on an http service",
            yaml: """
                _format_version: "3.0"
                services:
                  - url: http://h
                    amqp:
                      routing_key: k
                """,
            expected: #"test.yaml:5:7: services[0].amqp: "amqp" settings need protocol "amqp" or "amqps""#
        ),
        ValidationCase(
            name: "duplicate service name",
            yaml: """
                _format_version: "3.0"
                services:
                  - {name: s, url: "http://a"}
                  - {name: s, url: "http://b"}
                """,
            expected: #"test.yaml:4:12: services[1].name: duplicate service name "s" (also used at services[0].name)"#
        ),
        ValidationCase(
            name: "route to an unknown service",
            yaml: """
                _format_version: "3.0"
                services: [{name: users, url: "http://a"}]
                routes:
                  - service: {name: user}
                    paths: [/u]
                """,
            expected: #"test.yaml:4:14: routes[0].service: unknown service "user"; did you mean "users"?"#
        ),
        ValidationCase(
            name: "plugin on an unknown route",
            yaml: """
                _format_version: "3.0"
                plugins:
                  - name: cors
                    route: nowhere
                """,
            expected: #"test.yaml:4:12: plugins[0].route: unknown route "nowhere""#
        ),
        ValidationCase(
            name: "credential of an unknown consumer",
            yaml: """
                _format_version: "3.0"
                consumers: [{username: alice}]
                acls:
                  - group: g
                    consumer: alica
                """,
            expected: #"test.yaml:5:15: acls[0].consumer: unknown consumer "alica"; did you mean "alice"?"#
        ),
        ValidationCase(
            name: "consumer without username or custom_id",
            yaml: """
                _format_version: "3.0"
                consumers:
                  - tags: [x]
                """,
            expected: #"test.yaml:3:5: consumers[0]: a consumer needs "username" or "custom_id""#
        ),
        ValidationCase(
            name: "unknown jwt algorithm",
            yaml: """
                _format_version: "3.0"
                consumers:
                  - username: a
                    jwt_secrets: [{key: k, algorithm: HS257, secret: s}]
                """,
            expected:
                #"test.yaml:4:39: consumers[0].jwt_secrets[0].algorithm: expected one of "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", found "HS257"; did you mean "HS256"?"#
        ),
        ValidationCase(
            name: "HMAC credential without secret",
            yaml: """
                _format_version: "3.0"
                consumers:
                  - username: a
                    jwt_secrets:
                      - key: k
                """,
            expected: #"test.yaml:5:9: consumers[0].jwt_secrets[0]: algorithm HS256 needs "secret""#
        ),
        ValidationCase(
            name: "short HMAC secret is a warning",
            yaml: """
                _format_version: "3.0"
                consumers:
                  - username: a
                    jwt_secrets:
                      - {key: k, algorithm: HS384, secret: abc}
                """,
            expected:
                #"test.yaml:5:44: consumers[0].jwt_secrets[0].secret: warning: secret is shorter than 48 bytes, the HS384 hash size"#
        ),
        ValidationCase(
            // Kong's jwt_secrets have no secret_is_base64: the jwt plugin's setting decides.
            name: "secret_is_base64 belongs to the plugin, not the credential",
            yaml: """
                _format_version: "3.0"
                consumers:
                  - username: a
                    jwt_secrets:
                      - {key: k, secret: "\(String(repeating: "s", count: 32))", secret_is_base64: true}
                """,
            expected: #"test.yaml:5:62: consumers[0].jwt_secrets[0].secret_is_base64: unknown field "secret_is_base64""#
        ),
        ValidationCase(
            name: "asymmetric credential without key",
            yaml: """
                _format_version: "3.0"
                consumers:
                  - username: a
                    jwt_secrets:
                      - {key: k, algorithm: ES256}
                """,
            expected:
                #"test.yaml:5:9: consumers[0].jwt_secrets[0]: algorithm ES256 needs "rsa_public_key" or "jwks_uri""#
        ),
        ValidationCase(
            name: "unknown plugin",
            yaml: """
                _format_version: "3.0"
                plugins:
                  - name: jwtt
                """,
            expected: #"test.yaml:3:11: plugins[0].name: unknown plugin "jwtt"; did you mean "jwt"?"#
        ),
        ValidationCase(
            name: "target port out of range",
            yaml: """
                _format_version: "3.0"
                upstreams:
                  - name: up
                    targets: [{target: "10.0.0.1:0"}]
                """,
            expected:
                #"test.yaml:4:24: upstreams[0].targets[0].target: invalid port "0" in target "10.0.0.1:0": must be from 1 to 65535"#
        ),
        ValidationCase(
            name: "target weight out of range",
            yaml: """
                _format_version: "3.0"
                upstreams:
                  - name: up
                    targets: [{target: "10.0.0.1:80", weight: -1}]
                """,
            expected: #"test.yaml:4:47: upstreams[0].targets[0].weight: must be between 0 and 65535, found -1"#
        ),
        ValidationCase(
            name: "listen address without port",
            yaml: """
                _format_version: "3.0"
                pasarela:
                  proxy_listen: 0.0.0.0
                """,
            expected:
                #"test.yaml:3:17: pasarela.proxy_listen: expected HOST:PORT with a port from 0 (any free port) to 65535, found "0.0.0.0""#
        ),
        ValidationCase(
            name: "bad CIDR in trusted_ips",
            yaml: """
                _format_version: "3.0"
                pasarela:
                  trusted_ips:
                    - 10.0.0.0/8
                    - 10.0.0.0/40
                """,
            expected: #"test.yaml:5:7: pasarela.trusted_ips[1]: invalid IP address or CIDR range "10.0.0.0/40""#
        ),
        ValidationCase(
            name: "trusted certificate file missing",
            yaml: """
                _format_version: "3.0"
                pasarela:
                  lua_ssl_trusted_certificate: system, /nonexistent/ca.pem
                """,
            expected:
                #"test.yaml:3:32: pasarela.lua_ssl_trusted_certificate: certificate file "/nonexistent/ca.pem" does not exist or cannot be read"#
        ),
        ValidationCase(
            name: "trusted certificate list empty",
            yaml: """
                _format_version: "3.0"
                pasarela:
                  lua_ssl_trusted_certificate: []
                """,
            expected:
                #"test.yaml:3:32: pasarela.lua_ssl_trusted_certificate: expected "system" or PEM file paths, found nothing"#
        ),
        ValidationCase(
            name: "bad duration",
            yaml: """
                _format_version: "3.0"
                pasarela:
                  drain_timeout: 10 seconds
                """,
            expected:
                #"test.yaml:3:18: pasarela.drain_timeout: invalid duration "10 seconds"; expected e.g. 500ms, 10s, 2m or 1h"#
        ),
        ValidationCase(
            name: "unset environment variable",
            yaml: """
                _format_version: "3.0"
                consumers:
                  - username: a
                    keyauth_credentials:
                      - key: ${MISSING_KEY}
                """,
            expected:
                #"test.yaml:5:14: consumers[0].keyauth_credentials[0].key: environment variable MISSING_KEY is not set"#
        ),
        ValidationCase(
            name: "bad format version",
            yaml: """
                _format_version: 2.0
                """,
            expected:
                #"test.yaml:1:18: _format_version: unsupported format version 2.0; expected "1.1", "2.1" or "3.0""#
        ),
        ValidationCase(
            name: "duplicate key",
            yaml: """
                _format_version: "3.0"
                services:
                  - name: a
                    url: http://a
                    name: b
                """,
            expected: #"test.yaml:5:5: services[0].name: duplicate key "name" (first defined on line 3)"#
        ),
        ValidationCase(
            name: "YAML syntax error",
            yaml: """
                _format_version: "3.0"
                services:
                  - name: a
                   url: http://a
                """,
            expected:
                #"test.yaml:4:4: <root>: YAML syntax error: did not find expected '-' indicator (while parsing a block collection at 3:3)"#
        ),
    ]

    @Test(arguments: cases)
    func reportsTheErrorAtItsNode(_ testCase: ValidationCase) {
        let result = ConfigTestSupport.load(testCase.yaml)
        #expect(ConfigTestSupport.lines(result) == [testCase.expected])
        let isWarning = testCase.expected.contains(": warning: ")
        #expect(result.succeeded == isWarning)
    }

    @Test func reportFieldsMatchThePrintedLine() throws {
        let result = ConfigTestSupport.load(
            """
            _format_version: "3.0"
            services:
              - name: s
                url: http://127.0.0.1:80
                routes:
                  - paths: [/a]
                  - paths: [/a, b]
            """,
            file: "gateway.yaml"
        )
        let report = try #require(result.diagnostics.errors.first)
        #expect(report.file == "gateway.yaml")
        #expect(report.line == 7)
        #expect(report.column == 21)
        #expect(report.path == ["services", 0, "routes", 1, "paths", 1])
        #expect(report.path.description == "services[0].routes[1].paths[1]")
        #expect(report.message == #"must start with "/" or "~""#)
        #expect(report.severity == .error)
        #expect(report.description == #"gateway.yaml:7:21: services[0].routes[1].paths[1]: must start with "/" or "~""#)
    }
}
