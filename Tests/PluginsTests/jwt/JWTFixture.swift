import Foundation
import GatewayTestSupport
import JWTKit

@testable import Plugins

/// One gateway configuration for the jwt plugin's end-to-end tests: a route per scenario, keyed by
/// host (`<scenario>.test`), in front of the scripted upstream's `/echo`.
enum JWTFixture {
    static let base64SecretDecoded = "not-base64-yet-but-long-enough-for-hs256"
    static var base64Secret: String { Data(base64SecretDecoded.utf8).base64EncodedString() }

    static var yaml: String {
        let rsaPEM = TestKeys.yamlBlock(TestKeys.rsa.publicKey.pemRepresentation, indent: 10)
        let p256PEM = TestKeys.yamlBlock(TestKeys.p256.publicKey.pemRepresentation, indent: 10)
        let p384PEM = TestKeys.yamlBlock(TestKeys.p384.publicKey.pemRepresentation, indent: 10)
        let p521PEM = TestKeys.yamlBlock(TestKeys.p521.publicKey.pemRepresentation, indent: 10)
        let edPEM = TestKeys.yamlBlock(TestKeys.ed25519.publicKey.pemRepresentation, indent: 10)
        func route(_ name: String, _ config: String = "{}") -> String {
            """
                  - name: \(name)
                    hosts: [\(name).test]
                    paths: [/]
                    strip_path: false
                    plugins:
                      - name: jwt
                        config: \(config)

            """
        }
        return """
            _format_version: "3.0"
            pasarela:
              proxy_listen: 127.0.0.1:0
              admin_listen: "off"
              max_header_size: 128k
            consumers:
              - username: alice
                custom_id: "1"
                jwt_secrets:
                  - key: hs256-iss
                    secret: "\(TestKeys.hmacSecret)"
                  - key: hs512-iss
                    algorithm: HS512
                    secret: "\(TestKeys.hmac512Secret)"
                  - key: short-iss
                    secret: "foo"
              - username: bob
                jwt_secrets:
                  - key: rs256-iss
                    algorithm: RS256
                    rsa_public_key: \(rsaPEM)
                  - key: rs512-iss
                    algorithm: RS512
                    rsa_public_key: \(rsaPEM)
                  - key: ps256-iss
                    algorithm: PS256
                    rsa_public_key: \(rsaPEM)
                  - key: ps384-iss
                    algorithm: PS384
                    rsa_public_key: \(rsaPEM)
                  - key: es256-iss
                    algorithm: ES256
                    rsa_public_key: \(p256PEM)
                  - key: es384-iss
                    algorithm: ES384
                    rsa_public_key: \(p384PEM)
                  - key: es512-iss
                    algorithm: ES512
                    rsa_public_key: \(p521PEM)
                  - key: eddsa-iss
                    algorithm: EdDSA
                    rsa_public_key: \(edPEM)
              - username: carol
                jwt_secrets:
                  - key: b64-iss
                    secret: "\(base64Secret)"
              - username: anon
                id: 6b0c9a3e-0000-4000-8000-00000000a000
            services:
              - url: http://{{UPSTREAM}}
                routes:
            \(route("jwt"))\(route("claims", "{claims_to_verify: [exp, nbf]}"))\(route("maxexp", "{claims_to_verify: [exp], maximum_expiration: 60}"))\(route("sources", "{cookie_names: [crumble, silly], header_names: [CustomAuthorization], uri_param_names: [token, jwt]}"))\(route("anon", "{anonymous: anon}"))\(route("anonid", "{anonymous: 6b0c9a3e-0000-4000-8000-00000000a000}"))\(route("anonmissing", "{anonymous: nobody}"))\(route("realm", "{realm: pasarela}"))\(route("preflight", "{run_on_preflight: false}"))\(route("headers", "{claims_to_headers: {sub: X-User-Id, username: X-User-Name, exp: X-Token-Exp}}"))\(route("b64", "{secret_is_base64: true}"))\(route("sub", "{key_claim_name: sub}"))
            """
    }
}
