import NIOCore

/// The Redis store: one key per idempotency key, shared by every gateway process using the server.
///
/// The value is `L<fingerprint><token>` while the first request runs (expiring after the lock
/// timeout, so a crashed gateway cannot hold a key for ever) and `R<fingerprint><record>` once its
/// response is stored (expiring after the TTL). Claiming, completing and releasing are each one Lua
/// script, so two gateways can never both claim a key, and only the claim's holder can complete or
/// release it.
struct IdempotencyRedisStore: Sendable {
    static let claimScript = """
        local value = redis.call('GET', KEYS[1])
        if value then return value end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 0
        """
    static let completeScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
          return 1
        end
        return 0
        """
    static let releaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """

    let client: RedisClient

    static func lockValue(fingerprint: String, token: String) -> String { "L\(fingerprint)\(token)" }

    func claim(
        _ key: String,
        fingerprint: String,
        token: String,
        lockTTL: Int64,
        on loop: any EventLoop
    ) -> EventLoopFuture<IdempotencyClaim> {
        var command = RedisCommand("EVAL", Self.claimScript, "1", key)
        command.append(Self.lockValue(fingerprint: fingerprint, token: token))
        command.append(String(lockTTL))
        return client.send(command, on: loop).flatMapThrowing { reply in
            if reply.int == 0, case .integer = reply { return .claimed(token: token) }
            guard case .bulkString(var value?) = reply, let kind = value.readString(length: 1),
                let stored = value.readString(length: fingerprint.utf8.count)
            else { throw RedisError.unexpectedReply("idempotency claim answered \(reply)") }
            guard stored == fingerprint else { return .mismatch }
            switch kind {
            case "L": return .inFlight
            case "R":
                guard let record = IdempotencyRecord.decode(&value) else {
                    throw RedisError.unexpectedReply("idempotency record unreadable")
                }
                return .replay(record)
            default: throw RedisError.unexpectedReply("idempotency value of kind \(kind)")
            }
        }
    }

    func complete(
        _ key: String,
        fingerprint: String,
        token: String,
        record: IdempotencyRecord,
        ttl: Int64,
        on loop: any EventLoop
    ) -> EventLoopFuture<Bool> {
        var value = ByteBuffer(string: "R\(fingerprint)")
        record.encode(into: &value)
        var command = RedisCommand("EVAL", Self.completeScript, "1", key)
        command.append(Self.lockValue(fingerprint: fingerprint, token: token))
        command.append(value)
        command.append(String(ttl))
        return client.send(command, on: loop).map { $0.int == 1 }
    }

    func release(_ key: String, fingerprint: String, token: String, on loop: any EventLoop) -> EventLoopFuture<Void> {
        var command = RedisCommand("EVAL", Self.releaseScript, "1", key)
        command.append(Self.lockValue(fingerprint: fingerprint, token: token))
        return client.send(command, on: loop).map { _ in }
    }
}
