import NIOCore
import NIOHTTP1

/// Writes a ``LocalResponse`` the way Kong 3.x writes its own responses: JSON with the request id,
/// `Content-Length`, `X-Request-Id` and `Server`.
enum LocalResponseRenderer {
    static let serverToken = "pasarela"

    static func render(_ response: LocalResponse, requestID: String, keepAlive: Bool) -> (
        head: HTTPResponseHead, body: ByteBuffer?
    ) {
        var headers = response.headers
        var body = response.body
        if let message = response.jsonMessage {
            var buffer = ByteBuffer()
            buffer.writeString("{\"message\":")
            JSONString.write(message, into: &buffer)
            buffer.writeString(",\"request_id\":")
            JSONString.write(requestID, into: &buffer)
            buffer.writeString("}")
            body = buffer
            headers.replaceOrAdd(name: "Content-Type", value: "application/json; charset=utf-8")
        } else if let members = response.jsonMembers {
            var buffer = ByteBuffer()
            buffer.writeString("{")
            for (index, member) in members.enumerated() {
                if index > 0 { buffer.writeString(",") }
                JSONString.write(member.0, into: &buffer)
                buffer.writeString(":")
                JSONString.write(member.1, into: &buffer)
            }
            buffer.writeString("}")
            body = buffer
            headers.replaceOrAdd(name: "Content-Type", value: "application/json; charset=utf-8")
        }
        headers.replaceOrAdd(name: "Content-Length", value: String(body?.readableBytes ?? 0))
        headers.replaceOrAdd(name: "X-Request-Id", value: requestID)
        if !headers.contains(name: "server") { headers.add(name: "Server", value: serverToken) }
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        return (HTTPResponseHead(version: .http1_1, status: response.status, headers: headers), body)
    }
}
