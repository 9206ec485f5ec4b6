import NIOCore
import Testing

@testable import Plugins

/// RESP2 framing: every type, partial input, and garbage.
@Suite struct RESPParserTests {
    static func parseAll(_ text: String) throws -> [RESPValue] {
        var buffer = ByteBuffer(string: text)
        var values: [RESPValue] = []
        while let value = try RESPParser.parse(&buffer) { values.append(value) }
        #expect(buffer.readableBytes == 0)
        return values
    }

    @Test func everyType() throws {
        let values = try Self.parseAll(
            "+OK\r\n-ERR wrong\r\n:-42\r\n$5\r\nhe\r\no\r\n$-1\r\n*-1\r\n*0\r\n*2\r\n:1\r\n*1\r\n$0\r\n\r\n"
        )
        #expect(
            values == [
                .simpleString("OK"), .error("ERR wrong"), .integer(-42), .bulkString(ByteBuffer(string: "he\r\no")),
                .bulkString(nil), .array(nil), .array([]), .array([.integer(1), .array([.bulkString(ByteBuffer())])]),
            ]
        )
    }

    @Test func incompleteInputLeavesTheBufferUntouched() throws {
        let whole = "*3\r\n:1\r\n$3\r\nabc\r\n+x\r\n"
        for cut in 0..<whole.utf8.count {
            var buffer = ByteBuffer(string: String(whole.utf8.prefix(cut))!)
            let before = buffer.readerIndex
            #expect(try RESPParser.parse(&buffer) == nil)
            #expect(buffer.readerIndex == before)
        }
        #expect(try Self.parseAll(whole) == [.array([.integer(1), .bulkString(ByteBuffer(string: "abc")), .simpleString("x")])])
    }

    @Test(arguments: [
        "?x\r\n", ":abc\r\n", "$3\r\nabcde", "+a\rb\r\n", "$-5\r\n",
        "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n",
    ])
    func garbageIsAProtocolError(text: String) {
        var buffer = ByteBuffer(string: text)
        #expect(throws: RedisError.self) { _ = try RESPParser.parse(&buffer) }
    }

    @Test func commandsAreArraysOfBulkStrings() {
        var buffer = ByteBuffer()
        var command = RedisCommand("SET", "k")
        command.append(ByteBuffer(bytes: [0, 13, 10]))
        command.encode(into: &buffer)
        #expect(
            buffer == ByteBuffer(bytes: Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n".utf8) + [0, 13, 10] + Array("\r\n".utf8))
        )
    }
}
