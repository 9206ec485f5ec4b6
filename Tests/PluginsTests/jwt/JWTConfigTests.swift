import Gateway
import Logging
import Testing

@testable import Plugins

/// The jwt plugin's configuration: Kong's defaults and checks, Pasarela's additions.
@Suite struct JWTConfigTests {
    static func load(_ yaml: String) -> [String] {
        GatewayLoader.load(
            contents: yaml,
            file: "g.yaml",
            environment: [:],
            registry: BuiltinPlugins.registry,
            logger: Logger(label: "t")
        )
        .diagnostics.sorted.map(\.description)
    }

    @Test func kongDefaults() {
        let config = JWTConfig()
        #expect(config.uriParamNames == ["jwt"])
        #expect(config.cookieNames == [])
        #expect(config.headerNames == ["authorization"])
        #expect(config.keyClaimName == "iss")
        #expect(config.secretIsBase64 == false)
        #expect(config.claimsToVerify == [])
        #expect(config.anonymous == nil)
        #expect(config.runOnPreflight == true)
        #expect(config.maximumExpiration == 0)
        #expect(config.realm == nil)
        #expect(config.claimsToHeaders == [:])
    }

    @Test func rejectsBadConfig() {
        let lines = Self.load(
            """
            _format_version: "3.0"
            plugins:
              - name: jwt
                config:
                  maximum_expiration: 60
                  claims_to_verify: [nbf, iat]
                  claims_to_headers: {sub: "Bad Header"}
                  realm: 'a"b'
            """
        )
        #expect(lines.contains { $0.contains("plugins[0].config.claims_to_verify") && $0.contains("must contain \"exp\"") })
        #expect(lines.contains { $0.contains("claims_to_verify") && $0.contains("iat") })
        #expect(lines.contains { $0.contains("claims_to_headers.sub") && $0.contains("invalid header name") })
        #expect(lines.contains { $0.contains("plugins[0].config.realm") })
    }

    @Test func maximumExpirationIsBounded() {
        let lines = Self.load(
            """
            _format_version: "3.0"
            plugins:
              - name: jwt
                config: {maximum_expiration: 40000000, claims_to_verify: [exp]}
            """
        )
        #expect(lines.contains { $0.contains("maximum_expiration") && $0.contains("between 0 and 31536000") })
    }

    @Test func badKeysAreReportedAtLoad() {
        let lines = Self.load(
            """
            _format_version: "3.0"
            consumers:
              - username: a
                jwt_secrets:
                  - key: k
                    algorithm: ES256
                    rsa_public_key: |
                      -----BEGIN PUBLIC KEY-----
                      AAAA
                      -----END PUBLIC KEY-----
            plugins:
              - name: jwt
            """
        )
        #expect(lines.contains { $0.contains("consumers[0].jwt_secrets[0]") && $0.contains("not a valid P-256 public key") })
    }

    @Test func shortSecretsOnlyWarn() {
        let lines = Self.load(
            """
            _format_version: "3.0"
            consumers:
              - username: a
                jwt_secrets: [{key: k, secret: short}]
            plugins:
              - name: jwt
            """
        )
        #expect(lines.contains { $0.contains("warning: ") && $0.contains("shorter than 32 bytes") })
        #expect(lines.allSatisfy { $0.contains("warning: ") })
    }

    @Test func jwksURLsMustBeHTTPOrHTTPS() {
        func load(_ uri: String) -> [String] {
            Self.load(
                """
                _format_version: "3.0"
                consumers:
                  - username: a
                    jwt_secrets: [{key: k, algorithm: RS256, jwks_uri: "\(uri)"}]
                plugins:
                  - name: jwt
                """
            )
        }
        // Port 1 on loopback: nothing answers the background fetch the load starts.
        #expect(load("https://127.0.0.1:1/jwks.json") == [])
        let ftp = load("ftp://127.0.0.1:1/jwks.json")
        #expect(ftp.contains { $0.contains(#"jwks_uri: invalid jwks_uri "ftp://127.0.0.1:1/jwks.json": expected an http(s) URL"#) })
    }
}
