import Crypto
import Foundation
import Gateway

/// Every consumer's API keys, built once per plugin instance at load. A lookup hashes the
/// candidate (SHA-256) to find the entry and then compares the keys in constant time, so neither
/// step's duration depends on how much of a real key the candidate shares.
struct KeyAuthCredentialTable: Sendable {
    /// One API key.
    struct Entry: Sendable {
        let key: [UInt8]
        let consumer: Consumer
        /// Kong's `X-Credential-Identifier`: the credential's `id` (derived when none is configured;
        /// never the key itself).
        let identifier: String
        /// When the key stops working (seconds since 1970), for credentials with a `ttl`.
        let expiresAt: Double?
    }

    private let byDigest: [SHA256Digest: Entry]

    /// Reads every consumer's `keyauth_credentials`; `now` starts `ttl` countdowns.
    init(context: PluginBuildContext, now: Double) {
        var byDigest: [SHA256Digest: Entry] = [:]
        for (index, consumerConfig) in context.config.consumers.enumerated() where context.consumers.indices.contains(index) {
            let consumer = context.consumers[index]
            for (position, credential) in consumerConfig.keyauthCredentials.enumerated() where !credential.key.isEmpty {
                let key = Array(credential.key.utf8)
                byDigest[SHA256.hash(data: key)] = Entry(
                    key: key,
                    consumer: consumer,
                    identifier: credential.id ?? Self.derivedID(consumer: consumer.id, position: position),
                    expiresAt: credential.ttl.flatMap { $0 > 0 ? now + Double($0) : nil }
                )
            }
        }
        self.byDigest = byDigest
    }

    /// The credential whose key is `candidate`, if any and not expired.
    func match(_ candidate: String, now: Double) -> Entry? {
        let bytes = Array(candidate.utf8)
        guard let entry = byDigest[SHA256.hash(data: bytes)], ConstantTime.equals(entry.key, bytes) else { return nil }
        if let expiresAt = entry.expiresAt, now >= expiresAt { return nil }
        return entry
    }

    /// A UUID-shaped id from the consumer's id and the credential's position.
    static func derivedID(consumer: String, position: Int) -> String {
        let digest = Array(SHA256.hash(data: Array("pasarela:keyauth:\(consumer):\(position)".utf8)))
        let hex = digest.prefix(16).map { String(format: "%02x", $0) }.joined()
        let chars = Array(hex)
        return
            "\(String(chars[0..<8]))-\(String(chars[8..<12]))-5\(String(chars[13..<16]))-\(String(chars[16..<20]))-\(String(chars[20..<32]))"
    }
}
