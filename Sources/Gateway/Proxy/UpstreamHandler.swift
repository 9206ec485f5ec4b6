import NIOCore
import NIOHTTP1

/// Receives the events of one upstream connection's current exchange.
protocol UpstreamResponseReceiver: AnyObject {
    func upstreamResponseHead(_ head: HTTPResponseHead)
    func upstreamResponseBody(_ body: ByteBuffer)
    func upstreamResponseEnd(_ trailers: HTTPHeaders?)
    func upstreamReadComplete()
    func upstreamWritabilityChanged(isWritable: Bool)
    func upstreamFailed(_ error: any Error)
    /// Enforces the exchange's timeouts; returns when to look again, or nil when nothing is pending.
    func upstreamDeadlineCheck() -> NIODeadline?
}

/// The tail handler of an upstream connection: forwards response parts to the exchange that owns
/// the connection, withholds `read()` while the client is slow (back-pressure), and tells the pool
/// when an idle connection goes away.
final class UpstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// The exchange currently using the connection (nil while idle in the pool).
    ///
    /// Strong, not weak: a weakly referenced object gets a side table, and then every retain and
    /// release of the exchange takes the runtime's slow path. The cycle this makes (the exchange
    /// holds the connection while proxying) is broken whenever the exchange lets the connection go:
    /// ``UpstreamPool/release(_:)`` and ``UpstreamConnection/close()`` clear it, and so does the
    /// handler once the channel is gone.
    var receiver: (any UpstreamResponseReceiver)?
    /// Called when the connection closes or misbehaves while idle.
    var onIdleClose: (() -> Void)?
    /// Set when the connection can no longer be reused.
    private(set) var isClosed = false
    /// While true, `read()` is withheld.
    var readsPaused = false {
        didSet {
            if !readsPaused, readPending, let context {
                readPending = false
                context.read()
            }
        }
    }
    private var readPending = false
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        receiver = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard let receiver else {
            // Bytes from an idle upstream connection: it is no longer in a known state.
            isClosed = true
            context.close(promise: nil)
            return
        }
        switch part {
        case .head(let head): receiver.upstreamResponseHead(head)
        case .body(let body): receiver.upstreamResponseBody(body)
        case .end(let trailers): receiver.upstreamResponseEnd(trailers)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        receiver?.upstreamReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        receiver?.upstreamWritabilityChanged(isWritable: context.channel.isWritable)
    }

    func read(context: ChannelHandlerContext) {
        if readsPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        if let receiver {
            receiver.upstreamFailed(ChannelError.eof)
        } else {
            onIdleClose?()
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        isClosed = true
        receiver?.upstreamFailed(error)
        context.close(promise: nil)
    }
}
