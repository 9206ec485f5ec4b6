import NIOCore

/// A value of the Redis serialization protocol, version 2 (RESP2): what a Redis server answers.
///
/// Pasarela speaks RESP2 itself instead of depending on a Redis package: none is in the package
/// mirror, hiredis would mean a C target and blocking I/O on our event loops, and the handful of
/// commands the plugins need (EVAL, AUTH, SELECT, PING) fit in a few small files on SwiftNIO.
/// It lives in the Plugins target (not a package target of its own) because only plugins use it;
/// it moves out the day the core or the services need Redis.
public enum RESPValue: Sendable, Equatable {
    /// `+OK`
    case simpleString(String)
    /// `-ERR ...`: the server refused the command.
    case error(String)
    /// `:42`
    case integer(Int)
    /// `$3\r\nfoo`; nil is the null bulk string (`$-1`).
    case bulkString(ByteBuffer?)
    /// `*2 ...`; nil is the null array (`*-1`).
    case array([RESPValue]?)

    /// The value as an integer, when it is one (or a bulk string holding one).
    public var int: Int? {
        switch self {
        case .integer(let value): return value
        case .bulkString(let bytes?): return Int(String(buffer: bytes))
        case .simpleString(let text): return Int(text)
        default: return nil
        }
    }

    /// The value as text, for simple and bulk strings.
    public var string: String? {
        switch self {
        case .simpleString(let text): return text
        case .bulkString(let bytes?): return String(buffer: bytes)
        default: return nil
        }
    }

    /// The elements of a (non-null) array.
    public var array: [RESPValue]? {
        if case .array(let values?) = self { return values }
        return nil
    }
}

/// What can go wrong talking to Redis.
public enum RedisError: Error, Sendable, Equatable {
    /// The server answered with an error reply (`-ERR ...`).
    case server(String)
    /// No connection could be made (refused, unreachable, handshake failed), or the pool is backing
    /// off after such a failure.
    case unavailable(String)
    /// The connection closed before the answer arrived.
    case connectionClosed
    /// No answer within the configured timeout (the connection is closed: later answers would be
    /// out of step).
    case timeout
    /// The server sent bytes that are not RESP2.
    case protocolError(String)
    /// An answer of an unexpected shape.
    case unexpectedReply(String)
}
