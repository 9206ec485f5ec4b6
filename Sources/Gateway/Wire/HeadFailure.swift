import NIOHTTP1

/// Why a head could not be parsed: the status the gateway answers with and a short reason for logs.
///
/// Request heads fail with 400 (malformed or ambiguous), 414 (request line too long) or 431 (head
/// too large); upstream response heads fail with 502.
struct HeadFailure: Error, Hashable, Sendable {
    /// What to answer: 400, 414 or 431 for requests, 502 for responses.
    let status: HTTPResponseStatus
    /// A short explanation for the logs (never sent to the client).
    let reason: String

    static func badRequest(_ reason: String) -> HeadFailure {
        HeadFailure(status: .badRequest, reason: reason)
    }

    static func badGateway(_ reason: String) -> HeadFailure {
        HeadFailure(status: .badGateway, reason: reason)
    }
}
