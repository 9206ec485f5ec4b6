import NIOCore
import NIOHTTP1

/// One keep-alive connection to an upstream endpoint, owned by the pool of its event loop.
final class UpstreamConnection {
    let channel: any Channel
    let handler: UpstreamHandler
    let endpoint: HTTPEndpoint
    /// How many requests this connection has carried (1 on first use).
    var useCount = 0
    /// When it was put back into the pool.
    var idleSince: NIODeadline = .now()

    init(channel: any Channel, handler: UpstreamHandler, endpoint: HTTPEndpoint) {
        self.channel = channel
        self.handler = handler
        self.endpoint = endpoint
    }

    /// Whether the connection can carry another request.
    var isUsable: Bool { channel.isActive && !handler.isClosed }

    func write(_ part: HTTPClientRequestPart) {
        channel.write(part, promise: nil)
    }

    func flush() {
        channel.flush()
    }

    func close() {
        handler.receiver = nil
        channel.close(promise: nil)
    }
}
