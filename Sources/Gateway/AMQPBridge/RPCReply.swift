import Foundation
import NIOCore
import NIOHTTP1

/// A worker's reply to an rpc job, `{"status": 200, "headers": {...}, "body": ...}`, as an HTTP response.
/// A JSON `body` is sent as JSON (unless the worker set a Content-Type); a string body is sent as is.
enum RPCReply {
    static func response(from bytes: [UInt8]) -> LocalResponse {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return .message(.badGateway, "An invalid response was received from the upstream server")
        }
        let statusCode = (object["status"] as? Int) ?? 200
        guard (100...599).contains(statusCode) else {
            return .message(.badGateway, "An invalid response was received from the upstream server")
        }
        var headers = HTTPHeaders()
        for (name, value) in (object["headers"] as? [String: Any]) ?? [:] where HeaderName.isValid(name) {
            let text = (value as? String) ?? "\(value)"
            guard !text.contains(where: { $0 == "\r" || $0 == "\n" }) else { continue }
            headers.add(name: name, value: text)
        }
        HopByHop.strip(&headers)
        headers.remove(name: "content-length")
        var body = ByteBuffer()
        switch object["body"] {
        case nil, is NSNull:
            break
        case let text as String:
            body.writeString(text)
            if !headers.contains(name: "content-type") { headers.add(name: "Content-Type", value: "text/plain; charset=utf-8") }
        case let value?:
            let data =
                (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
                ?? Data()
            body.writeBytes(data)
            if !headers.contains(name: "content-type") { headers.add(name: "Content-Type", value: "application/json") }
        }
        return LocalResponse(status: HTTPResponseStatus(statusCode: statusCode), headers: headers, body: body)
    }
}
