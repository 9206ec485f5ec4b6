import Testing

@testable import AMQP

@Suite("ContentAssembler and PendingReplies")
struct ContentAssemblerTests {
    let properties = MessageProperties(contentType: "text/plain", messageID: "m1")

    @Test func assemblesBodyFromFragments() throws {
        var assembler = ContentAssembler<String>()
        try assembler.begin("deliver")
        #expect(try assembler.header(properties, bodySize: 5) == nil)
        #expect(try assembler.body([1, 2]) == nil)
        let completed = try #require(try assembler.body([3, 4, 5]))
        #expect(completed.method == "deliver")
        #expect(completed.body == [1, 2, 3, 4, 5])
        #expect(completed.properties == properties)
        try assembler.begin("next")  // back to idle
    }

    @Test func emptyBodyCompletesAtTheHeader() throws {
        var assembler = ContentAssembler<String>()
        try assembler.begin("return")
        let completed = try #require(try assembler.header(properties, bodySize: 0))
        #expect(completed.body.isEmpty)
    }

    @Test func outOfOrderFramesAreViolations() throws {
        var assembler = ContentAssembler<String>()
        #expect(throws: ContentAssembler<String>.Violation.self) { try assembler.header(properties, bodySize: 1) }
        #expect(throws: ContentAssembler<String>.Violation.self) { try assembler.body([1]) }
        try assembler.begin("a")
        #expect(throws: ContentAssembler<String>.Violation.self) { try assembler.begin("b") }
        _ = try assembler.header(properties, bodySize: 2)
        #expect(throws: ContentAssembler<String>.Violation.self) { try assembler.body([1, 2, 3]) }
    }

    @Test func pendingRepliesResolveExpireAndDrain() {
        let t0 = ContinuousClock.now
        var replies = PendingReplies<Int>()
        let first = replies.register("a", waiter: 1, deadline: t0.advanced(by: .seconds(1)))
        let second = replies.register("b", waiter: 2, deadline: t0.advanced(by: .seconds(2)))
        let duplicate = replies.register("a", waiter: 3, deadline: t0)
        #expect(first && second && !duplicate)
        #expect(replies.resolve("b") == 2)
        #expect(replies.resolve("b") == nil)
        #expect(replies.expire(now: t0).isEmpty)
        #expect(replies.expire(now: t0.advanced(by: .seconds(1))) == [1])
        #expect(replies.count == 0)
        _ = replies.register("c", waiter: 4, deadline: t0.advanced(by: .seconds(5)))
        #expect(replies.removeAll() == [4])
        #expect(replies.earliestDeadline == nil)
    }
}
