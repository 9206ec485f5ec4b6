import Gateway

/// One consumer's `jwt_secrets` entry, ready for requests: its consumer and its parsed key (or its
/// JWKS key set).
struct JWTCredential: Sendable {
    /// Where the verification key comes from.
    enum KeySource: Sendable {
        /// A secret or public key from the configuration, parsed at load.
        case key(JWTVerificationKey)
        /// Keys fetched from a JWKS endpoint, picked by the token's `kid`.
        case jwks(JWKSKeySet)
        /// A secret that `secret_is_base64` cannot decode: Kong answers `Invalid key/secret`.
        case unusableSecret
    }

    /// The consumer the credential belongs to.
    let consumer: Consumer
    /// The credential's `key` (the value of the token's key claim; Kong's `X-Credential-Identifier`).
    let key: String
    /// The only algorithm a token for this credential may use.
    let algorithm: JWTAlgorithm
    /// The key material.
    let source: KeySource
}

/// Every consumer's JWT credentials by `key`, built once per plugin instance at load.
struct JWTCredentialTable: Sendable {
    private let byKey: [String: JWTCredential]

    /// The credential whose `key` is `key`.
    subscript(key: String) -> JWTCredential? { byKey[key] }

    /// Parses every credential's key. `secretIsBase64` is the plugin's setting, which decides for
    /// every HS* secret, as in Kong; `jwks` provides the shared key set of a `jwks_uri`.
    init(
        context: PluginBuildContext,
        secretIsBase64: Bool,
        jwks: (JWTSecretConfig) throws -> JWKSKeySet?
    ) throws(InvalidConfigValue) {
        var byKey: [String: JWTCredential] = [:]
        for (index, consumerConfig) in context.config.consumers.enumerated() where context.consumers.indices.contains(index) {
            let consumer = context.consumers[index]
            for secret in consumerConfig.jwtSecrets {
                let source: JWTCredential.KeySource
                do {
                    if secret.algorithm.isHMAC {
                        guard let value = secret.secret else { continue }
                        do {
                            source = .key(
                                try JWTVerificationKey.hmac(
                                    secret: value,
                                    base64: secretIsBase64,
                                    algorithm: secret.algorithm
                                )
                            )
                        } catch {
                            context.logger.warning(
                                "jwt credential's secret is not base64 (secret_is_base64): its tokens are refused",
                                metadata: ["credential": "\(secret.location)"]
                            )
                            source = .unusableSecret
                        }
                    } else if let pem = secret.rsaPublicKey {
                        source = .key(try JWTVerificationKey.publicKey(pem: pem, algorithm: secret.algorithm))
                    } else if secret.jwksURI != nil, let keySet = try jwks(secret) {
                        source = .jwks(keySet)
                    } else {
                        continue
                    }
                } catch {
                    throw InvalidConfigValue("\(secret.location): \(error)")
                }
                byKey[secret.key] = JWTCredential(
                    consumer: consumer,
                    key: secret.key,
                    algorithm: secret.algorithm,
                    source: source
                )
            }
        }
        self.byKey = byKey
    }
}
