/// Puts a message back together from its frames on one channel: a method with content
/// (`basic.deliver`, `basic.return`), then a header frame with the properties and body size,
/// then body frames until the size is reached. Frames of other channels may come in between;
/// each channel has its own assembler. A pure value.
struct ContentAssembler<Method> {
    enum State {
        /// Waiting for a method that carries content.
        case idle
        /// Got the method; the header frame comes next.
        case awaitingHeader(Method)
        /// Got the header; collecting `expected` body bytes.
        case awaitingBody(Method, MessageProperties, expected: Int, body: [UInt8])
    }

    /// A message whose frames have all arrived.
    struct Completed {
        var method: Method
        var properties: MessageProperties
        var body: [UInt8]
    }

    /// A frame arrived out of order: the channel is out of step.
    struct Violation: Error, Hashable {
        var message: String
    }

    private(set) var state: State = .idle

    /// A content-carrying method arrived.
    mutating func begin(_ method: Method) throws(Violation) {
        guard case .idle = state else { throw Violation(message: "a new message began before the last one ended") }
        state = .awaitingHeader(method)
    }

    /// The header frame arrived; returns the message at once when its body is empty.
    mutating func header(_ properties: MessageProperties, bodySize: UInt64) throws(Violation) -> Completed? {
        guard case .awaitingHeader(let method) = state else {
            throw Violation(message: "content header without a method")
        }
        guard bodySize <= UInt64(Int.max) else { throw Violation(message: "body size \(bodySize) too large") }
        if bodySize == 0 {
            state = .idle
            return Completed(method: method, properties: properties, body: [])
        }
        var body: [UInt8] = []
        body.reserveCapacity(Int(bodySize))
        state = .awaitingBody(method, properties, expected: Int(bodySize), body: body)
        return nil
    }

    /// A body frame arrived; returns the message when it is complete.
    mutating func body(_ fragment: some Collection<UInt8>) throws(Violation) -> Completed? {
        guard case .awaitingBody(let method, let properties, let expected, var body) = state else {
            throw Violation(message: "content body without a header")
        }
        state = .idle  // drop our copy so `body` is appended in place
        guard body.count + fragment.count <= expected else {
            throw Violation(message: "content body longer than announced (\(expected) bytes)")
        }
        body.append(contentsOf: fragment)
        if body.count == expected {
            return Completed(method: method, properties: properties, body: body)
        }
        state = .awaitingBody(method, properties, expected: expected, body: body)
        return nil
    }
}
