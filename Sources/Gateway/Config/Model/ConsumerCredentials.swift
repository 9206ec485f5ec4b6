/// A signing algorithm a `jwt_secrets` credential accepts.
public enum JWTAlgorithm: String, ConfigEnum {
    case hs256 = "HS256"
    case hs384 = "HS384"
    case hs512 = "HS512"
    case rs256 = "RS256"
    case rs384 = "RS384"
    case rs512 = "RS512"
    case ps256 = "PS256"
    case ps384 = "PS384"
    case ps512 = "PS512"
    case es256 = "ES256"
    case es384 = "ES384"
    case es512 = "ES512"
    case edDSA = "EdDSA"

    /// Whether the algorithm is an HMAC with a shared `secret`.
    public var isHMAC: Bool { [.hs256, .hs384, .hs512].contains(self) }

    /// For HMAC algorithms, the hash output size in bytes (the shortest sensible secret).
    public var hashLength: Int? {
        switch self {
        case .hs256: return 32
        case .hs384: return 48
        case .hs512: return 64
        default: return nil
        }
    }
}

/// One `jwt_secrets` credential: a key matched against the token's `iss` (or Kong's
/// `key_claim_name`), with a shared secret, a public key, or Pasarela's JWKS endpoint.
public struct JWTSecretConfig: Sendable, Hashable, Decodable {
    /// Kong's optional entity id.
    public var id: String?
    /// The value the token's key claim must carry.
    public var key: String
    /// Signing algorithm (default `HS256`).
    public var algorithm: JWTAlgorithm
    /// Shared secret for `HS*`.
    public var secret: String?
    /// PEM public key for `RS*`, `PS*`, `ES*`, `EdDSA`.
    public var rsaPublicKey: String?
    /// Pasarela: a JWKS URL to fetch public keys from, picked by the token's `kid`.
    public var jwksURI: String?
    /// Free-form tags.
    public var tags: [String]
    /// The consumer named in the flat form, as written.
    public var consumer: EntityReference?
    /// Where the credential is declared.
    public var location: ConfigPath

    private enum CodingKeys: String, CodingKey {
        case id, key, algorithm, secret, tags, consumer
        case rsaPublicKey = "rsa_public_key"
        case jwksURI = "jwks_uri"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        id = try c.optional(.id)
        key = try c.decode(String.self, forKey: .key)
        algorithm = try c.value(.algorithm, or: .hs256)
        secret = try c.optional(.secret)
        rsaPublicKey = try c.optional(.rsaPublicKey)
        jwksURI = try c.optional(.jwksURI)
        tags = try c.value(.tags, or: [])
        consumer = try c.optional(.consumer)
        c.accept(.createdAt, .updatedAt)
    }
}

/// One `keyauth_credentials` entry: an API key for the `key-auth` plugin.
public struct KeyAuthCredentialConfig: Sendable, Hashable, Decodable {
    /// Kong's optional entity id.
    public var id: String?
    /// The API key.
    public var key: String
    /// Seconds the key stays valid, if limited.
    public var ttl: Int?
    /// Free-form tags.
    public var tags: [String]
    /// The consumer named in the flat form, as written.
    public var consumer: EntityReference?
    /// Where the credential is declared.
    public var location: ConfigPath

    private enum CodingKeys: String, CodingKey {
        case id, key, ttl, tags, consumer
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        id = try c.optional(.id)
        key = try c.decode(String.self, forKey: .key)
        ttl = try c.optional(.ttl)
        tags = try c.value(.tags, or: [])
        consumer = try c.optional(.consumer)
        c.accept(.createdAt, .updatedAt)
    }
}

/// One `acls` entry: the consumer belongs to `group` (for the `acl` plugin).
public struct ACLGroupConfig: Sendable, Hashable, Decodable {
    /// Kong's optional entity id.
    public var id: String?
    /// The group name.
    public var group: String
    /// Free-form tags.
    public var tags: [String]
    /// The consumer named in the flat form, as written.
    public var consumer: EntityReference?
    /// Where the entry is declared.
    public var location: ConfigPath

    private enum CodingKeys: String, CodingKey {
        case id, group, tags, consumer
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configPath ?? .root
        id = try c.optional(.id)
        group = try c.decode(String.self, forKey: .group)
        tags = try c.value(.tags, or: [])
        consumer = try c.optional(.consumer)
        c.accept(.createdAt, .updatedAt)
    }
}
