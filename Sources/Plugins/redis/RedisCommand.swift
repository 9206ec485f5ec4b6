import NIOCore

/// One Redis command: its arguments as binary-safe strings, encoded as a RESP2 array of bulk strings.
public struct RedisCommand: Sendable {
    /// The command name and its arguments.
    public private(set) var arguments: [ByteBuffer]

    /// A command from text arguments, e.g. `RedisCommand("SELECT", "2")`.
    public init(_ arguments: String...) {
        self.arguments = arguments.map { ByteBuffer(string: $0) }
    }

    /// A command from text arguments.
    public init(_ arguments: [String]) {
        self.arguments = arguments.map { ByteBuffer(string: $0) }
    }

    /// Appends a text argument.
    public mutating func append(_ argument: String) {
        arguments.append(ByteBuffer(string: argument))
    }

    /// Appends a binary argument.
    public mutating func append(_ argument: ByteBuffer) {
        arguments.append(argument)
    }

    /// `EVAL script numkeys key... arg...`: runs a Lua script atomically on the server.
    public static func eval(_ script: String, keys: [String], arguments: [String]) -> RedisCommand {
        var command = RedisCommand("EVAL", script, String(keys.count))
        for key in keys { command.append(key) }
        for argument in arguments { command.append(argument) }
        return command
    }

    /// Writes `*N\r\n` then `$len\r\n<bytes>\r\n` per argument.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeString("*\(arguments.count)\r\n")
        for argument in arguments {
            buffer.writeString("$\(argument.readableBytes)\r\n")
            buffer.writeImmutableBuffer(argument)
            buffer.writeString("\r\n")
        }
    }
}
