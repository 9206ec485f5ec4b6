import Crypto
import Foundation
import Gateway
import JWTKit
import Logging
import Testing

@testable import Plugins

/// `pasarela token`'s minting: tokens that jwt-kit accepts and the plugin's own checks pass.
@Suite struct JWTMinterTests {
    static func config(_ yaml: String) throws -> GatewayConfig {
        let loaded = GatewayLoader.load(
            contents: yaml,
            file: "g.yaml",
            environment: [:],
            registry: BuiltinPlugins.registry,
            logger: Logger(label: "t")
        )
        return try loaded.result.get().declaration
    }

    static let yaml = """
        _format_version: "3.0"
        consumers:
          - username: app
            jwt_secrets:
              - key: gestorpagos
                secret: "\(TestKeys.hmacSecret)"
          - username: signer
            jwt_secrets:
              - key: es-key
                algorithm: ES256
                rsa_public_key: \(TestKeys.yamlBlock(TestKeys.p256.publicKey.pemRepresentation, indent: 10))
              - key: other
                secret: "\(TestKeys.hmacSecret)"
              - key: es512-key
                algorithm: ES512
                rsa_public_key: \(TestKeys.yamlBlock(TestKeys.p521.publicKey.pemRepresentation, indent: 10))
        """

    @Test func mintsHS256ThatJWTKitVerifies() async throws {
        let config = try Self.config(Self.yaml)
        let token = try JWTMinter.mint(
            .init(consumer: "app", ttl: 60, claims: ["sub=1", "admin:=true", "n:=5"]),
            config: config,
            now: 1000
        )
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: TestKeys.hmacSecret), digestAlgorithm: .sha256)
        struct Claims: JWTPayload {
            var iss: String
            var sub: String
            var exp: Int
            var iat: Int
            var admin: Bool
            var n: Int
            func verify(using algorithm: some JWTKit.JWTAlgorithm) async throws {}
        }
        let claims = try await keys.verify(token, as: Claims.self)
        #expect(claims.iss == "gestorpagos" && claims.sub == "1" && claims.exp == 1060 && claims.iat == 1000)
        #expect(claims.admin && claims.n == 5)
    }

    @Test func mintsWithAPrivateKey() throws {
        let config = try Self.config(Self.yaml)
        let pem = TestKeys.p256.pemRepresentation
        let token = try JWTMinter.mint(.init(consumer: "signer", key: "es-key", privateKeyPEM: pem, keyID: "k"), config: config)
        let decoded = try JWTToken(token)
        #expect(decoded.keyID == "k")
        let key = try JWTVerificationKey.publicKey(pem: TestKeys.p256.publicKey.pemRepresentation, algorithm: .es256)
        #expect(key.verifies(decoded.signature, input: decoded.signingInput))

        let es512 = try JWTMinter.mint(
            .init(consumer: "signer", key: "es512-key", privateKeyPEM: TestKeys.p521.pemRepresentation),
            config: config
        )
        let decoded512 = try JWTToken(es512)
        #expect(decoded512.algorithm == "ES512" && decoded512.signature.count == 132)
        let key512 = try JWTVerificationKey.publicKey(pem: TestKeys.p521.publicKey.pemRepresentation, algorithm: .es512)
        #expect(key512.verifies(decoded512.signature, input: decoded512.signingInput))
    }

    @Test func explainsWhatIsMissing() throws {
        let config = try Self.config(Self.yaml)
        #expect(throws: JWTMinter.Failure.self) { try JWTMinter.mint(.init(consumer: "ghost"), config: config) }
        #expect(throws: JWTMinter.Failure.self) { try JWTMinter.mint(.init(consumer: "signer"), config: config) }
        #expect(throws: JWTMinter.Failure.self) { try JWTMinter.mint(.init(consumer: "signer", key: "es-key"), config: config) }
        #expect(throws: JWTMinter.Failure.self) {
            try JWTMinter.mint(.init(consumer: "app", claims: ["novalue"]), config: config)
        }
        #expect(throws: JWTMinter.Failure.self) { try JWTMinter.mint(.init(consumer: "app", claims: ["n:=abc"]), config: config) }
    }
}
