import AMQP
import Testing

@testable import Services

@Suite("Job decoding")
struct JobTests {
    static let envelope = """
        {"id":"6f1c","method":"POST","path":"/users/7/pay","query":{"a":"1","b":["2","3"],"flag":true},
        "headers":{"content-type":"application/json","x-user-id":"7"},"params":{"user_id":"7"},
        "consumer":{"id":"c1","username":"app","custom_id":null},
        "body":{"amount":123456789012,"to_user_id":2,"description":"rent"},"received_at":"2026-11-23T14:55:02.123Z"}
        """

    static func message(_ body: String, headers: [String: FieldValue] = [:], messageID: String? = nil) -> Message {
        Message(
            body: Array(body.utf8),
            properties: MessageProperties(headers: headers, messageID: messageID),
            exchange: "pagos",
            routingKey: "payment.requested"
        )
    }

    struct Payment: Decodable, Equatable {
        var amount: Int64
        var to_user_id: Int?
        var description: String?
    }

    @Test func decodesTheGatewaysEnvelope() throws {
        let job = try Job(message: Self.message(Self.envelope), redelivered: true)
        #expect(job.id == "6f1c")
        #expect(job.retries == 0)
        #expect(job.redelivered)
        #expect(job.request.method == "POST")
        #expect(job.request.params["user_id"] == "7")
        #expect(job.request.query["b"] == .array([.string("2"), .string("3")]))
        #expect(job.request.query["flag"] == .bool(true))
        #expect(job.header("X-User-Id") == "7")
        #expect(job.request.consumer?.username == "app")
        #expect(job.request.receivedAt == "2026-11-23T14:55:02.123Z")
        // Amounts are decoded from the message's own text: no trip through floating point.
        #expect(try job.decodeBody(Payment.self) == Payment(amount: 123_456_789_012, to_user_id: 2, description: "rent"))
    }

    @Test func retryCountComesFromTheHeader() throws {
        let job = try Job(message: Self.message(Self.envelope, headers: [RetryPolicy.retryHeader: .int(2)]), redelivered: false)
        #expect(job.retries == 2)
    }

    @Test func idFallsBackToTheMessageID() throws {
        let job = try Job(message: Self.message(#"{"method":"POST","path":"/x"}"#, messageID: "m-1"), redelivered: false)
        #expect(job.id == "m-1")
        #expect(throws: JobFailure.self) { try job.decodeBody(Payment.self) }
    }

    @Test(arguments: ["", "not json", "[1,2]", #"{"path":"/x"}"#, #"{"id":"","path":"/x"}"#, #"{"id":5}"#])
    func malformedMessagesAreRefused(_ body: String) {
        #expect(throws: JobFailure.self) { try Job(message: Self.message(body), redelivered: false) }
    }
}
