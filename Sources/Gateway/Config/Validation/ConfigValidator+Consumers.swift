import Foundation

extension ConfigValidator {
    mutating func validateConsumers() {
        let consumers = config.consumers
        requireUnique(
            consumers.compactMap { consumer in consumer.username.map { ($0, consumer.location.appending("username")) }
            },
            what: "consumer username"
        )
        requireUnique(
            consumers.compactMap { consumer in consumer.customID.map { ($0, consumer.location.appending("custom_id")) }
            },
            what: "consumer custom_id"
        )
        let secrets = consumers.flatMap(\.jwtSecrets)
        let keys = consumers.flatMap(\.keyauthCredentials)
        requireUnique(secrets.map { ($0.key, $0.location.appending("key")) }, what: "jwt_secrets key")
        requireUnique(keys.map { ($0.key, $0.location.appending("key")) }, what: "key-auth key", secret: true)
        for consumer in consumers {
            if consumer.username == nil, consumer.customID == nil {
                error("a consumer needs \"username\" or \"custom_id\"", at: consumer.location)
            }
            for credential in consumer.jwtSecrets { validate(credential) }
            for credential in consumer.keyauthCredentials {
                if credential.key.isEmpty { error("must not be empty", at: credential.location.appending("key")) }
                if let ttl = credential.ttl {
                    check(ttl, in: 0...100_000_000, at: credential.location.appending("ttl"))
                }
            }
            for membership in consumer.acls where membership.group.isEmpty {
                error("must not be empty", at: membership.location.appending("group"))
            }
        }
    }

    private mutating func validate(_ credential: JWTSecretConfig) {
        let path = credential.location
        let algorithm = credential.algorithm
        if let written = document.node(at: path.appending("algorithm"))?.scalar?.text,
            JWTAlgorithm(rawValue: written) == nil
        {
            return  // already reported; the default algorithm would only add noise
        }
        if let hashLength = algorithm.hashLength {
            guard let secret = credential.secret else {
                error("algorithm \(algorithm.rawValue) needs \"secret\"", at: path)
                return
            }
            if credential.jwksURI != nil {
                error("\"jwks_uri\" needs an RS*, PS*, ES* or EdDSA algorithm", at: path.appending("jwks_uri"))
            }
            // As in Kong, the jwt plugin's `secret_is_base64` decides how a secret is decoded, and a
            // credential may serve several jwt plugins that differ on it: so only the raw length is
            // known here. A base64 secret decodes to fewer bytes (3 per 4), so a short decoded
            // secret may pass unwarned; the plugin reports secrets that are not base64 when it loads.
            if secret.utf8.count < hashLength {
                warning(
                    "secret is shorter than \(hashLength) bytes, the \(algorithm.rawValue) hash size",
                    at: path.appending("secret")
                )
            }
            return
        }
        switch (credential.rsaPublicKey, credential.jwksURI) {
        case (nil, nil):
            error("algorithm \(algorithm.rawValue) needs \"rsa_public_key\" or \"jwks_uri\"", at: path)
        case (.some, .some):
            error("use either \"rsa_public_key\" or \"jwks_uri\", not both", at: path.appending("jwks_uri"))
        case (.some(let key), nil):
            if !key.contains("-----BEGIN PUBLIC KEY-----"), !key.contains("-----BEGIN RSA PUBLIC KEY-----") {
                error(
                    "rsa_public_key is not a PEM public key (\"-----BEGIN PUBLIC KEY-----\")",
                    at: path.appending("rsa_public_key")
                )
            }
        case (nil, .some(let uri)):
            let scheme = URLComponents(string: uri)?.scheme?.lowercased()
            if scheme != "http" && scheme != "https" || (URLComponents(string: uri)?.host ?? "").isEmpty {
                error(
                    "invalid jwks_uri \(ConfigScalar(uri).quotedForMessage): expected an http(s) URL",
                    at: path.appending("jwks_uri")
                )
            }
        }
    }
}
