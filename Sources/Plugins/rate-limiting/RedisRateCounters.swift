import NIOCore

/// The `redis` policy's counters: every gateway process that names the same Redis shares them.
///
/// One Lua script checks every window and, only when all have room, increments them all (setting
/// each new key to expire when its period ends), so the decision is atomic across processes. Keys
/// are Kong's: `ratelimit:<route id>:<service id>:<identifier>:<period start ms>:<window>`.
public struct RedisRateCounters: Sendable {
    /// KEYS: one per window. ARGV: the limits, then each key's time to live in milliseconds.
    /// Returns `{admitted (0/1), count per window}`: counts include this request when admitted.
    static let script = """
        local n = #KEYS
        local result = {1}
        for i = 1, n do
          local count = tonumber(redis.call('GET', KEYS[i]) or '0')
          result[i + 1] = count
          if count >= tonumber(ARGV[i]) then result[1] = 0 end
        end
        if result[1] == 1 then
          for i = 1, n do
            local count = redis.call('INCR', KEYS[i])
            if count == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[n + i]) end
            result[i + 1] = count
          end
        end
        return result
        """

    /// Milliseconds a key outlives its period (gateways' clocks differ a little).
    static let expiryMargin: Int64 = 1000

    let client: RedisClient

    /// Checks and counts one request; the future completes on `loop`.
    func acquire(
        scope: String,
        identifier: String,
        limits: [RateLimit],
        now: Int64,
        on loop: any EventLoop
    ) -> EventLoopFuture<RateDecision> {
        let periods = limits.map { $0.window.period(containing: now) }
        let keys = zip(limits, periods).map { limit, period in
            "ratelimit:\(scope):\(identifier):\(period.start):\(limit.window.rawValue)"
        }
        let arguments =
            limits.map { String($0.limit) } + periods.map { String(max(1, $0.end - now) + Self.expiryMargin) }
        let command = RedisCommand.eval(Self.script, keys: keys, arguments: arguments)
        return client.send(command, on: loop).flatMapThrowing { reply in
            guard let values = reply.array, values.count == limits.count + 1, let admitted = values[0].int else {
                throw RedisError.unexpectedReply("rate-limiting script answered \(reply)")
            }
            var windows: [WindowUsage] = []
            for index in limits.indices {
                guard let used = values[index + 1].int else {
                    throw RedisError.unexpectedReply("rate-limiting script answered \(reply)")
                }
                windows.append(WindowUsage(limit: limits[index], used: used, period: periods[index]))
            }
            return RateDecision(admitted: admitted == 1, windows: windows)
        }
    }
}
