import Crypto
import CryptoExtras
import Foundation

/// Password hashes with scrypt (swift-crypto's CryptoExtras), stored as PHC-style strings:
/// `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64 without padding). Clear passwords are never stored
/// or logged; verification compares in constant time.
public struct PasswordHasher: Sendable {
    /// log2 of scrypt's N: 2^15 rounds with r = 8 take about 100 ms and 32 MB here.
    public var logRounds: Int
    public var blockSize: Int
    public var parallelism: Int

    /// The production cost; tests pass a lower `logRounds`.
    public init(logRounds: Int = 15, blockSize: Int = 8, parallelism: Int = 1) {
        self.logRounds = logRounds
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    /// A new hash of `password` with a random salt.
    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let key = try derive(password, salt: salt, logRounds: logRounds, blockSize: blockSize, parallelism: parallelism)
        return "$scrypt$ln=\(logRounds),r=\(blockSize),p=\(parallelism)$\(Self.base64(salt))$\(Self.base64(key))"
    }

    /// Whether `password` matches `encoded` (made by ``hash(_:)``, possibly with other parameters).
    public func verify(_ password: String, against encoded: String) -> Bool {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: true)
        guard parts.count == 4, parts[0] == "scrypt" else { return false }
        var parameters: [Substring: Int] = [:]
        for item in parts[1].split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let value = Int(pair[1]) else { return false }
            parameters[pair[0]] = value
        }
        guard let logRounds = parameters["ln"], (10...20).contains(logRounds), let blockSize = parameters["r"],
            (1...32).contains(blockSize), let parallelism = parameters["p"], (1...16).contains(parallelism),
            let salt = Self.unbase64(parts[2]), let expected = Self.unbase64(parts[3]), !expected.isEmpty
        else { return false }
        guard
            let actual = try? derive(
                password,
                salt: salt,
                logRounds: logRounds,
                blockSize: blockSize,
                parallelism: parallelism,
                length: expected.count
            )
        else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(actual, expected) { difference |= left ^ right }
        return difference == 0 && actual.count == expected.count
    }

    private func derive(
        _ password: String,
        salt: [UInt8],
        logRounds: Int,
        blockSize: Int,
        parallelism: Int,
        length: Int = 32
    ) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8),
            salt: salt,
            outputByteCount: length,
            rounds: 1 << logRounds,
            blockSize: blockSize,
            parallelism: parallelism
        )
        return key.withUnsafeBytes { Array($0) }
    }

    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static func unbase64(_ text: Substring) -> [UInt8]? {
        var padded = String(text)
        while padded.count % 4 != 0 { padded += "=" }
        return Data(base64Encoded: padded).map { Array($0) }
    }
}
