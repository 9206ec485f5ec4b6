import NIOCore

/// A command on its way to Redis with the promise its answer completes.
struct RedisRequest {
    let command: RedisCommand
    let promise: EventLoopPromise<RESPValue>
    let timeout: TimeAmount
}

/// The tail handler of a Redis connection: encodes commands, matches answers to commands in order
/// (RESP2 answers arrive in the order commands were sent, which lets many requests share one
/// connection, pipelined), and fails everything pending when the connection breaks or an answer is
/// late. All on the connection's event loop.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        let promise: EventLoopPromise<RESPValue>
        let timer: Scheduled<Void>?
    }

    private var pending = CircularBuffer<Pending>()
    private var received: ByteBuffer?
    private var failed: RedisError?

    /// Commands sent and not answered yet.
    var pendingCount: Int { pending.count }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failed {
            request.promise.fail(failed)
            promise?.fail(failed)
            return
        }
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: request.timeout) { [self] in
            failAll(.timeout, context: context)
        }
        pending.append(Pending(promise: request.promise, timer: timer))
        var buffer = context.channel.allocator.buffer(capacity: 64)
        request.command.encode(into: &buffer)
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if received == nil {
            received = incoming
        } else {
            received?.writeBuffer(&incoming)
        }
        guard var buffer = received else { return }
        received = nil
        do {
            while let value = try RESPParser.parse(&buffer) {
                guard let next = pending.popFirst() else {
                    throw RedisError.protocolError("an answer nobody asked for")
                }
                next.timer?.cancel()
                next.promise.succeed(value)
            }
        } catch let error as RedisError {
            failAll(error, context: context)
            return
        } catch {
            failAll(.protocolError("\(error)"), context: context)
            return
        }
        if buffer.readableBytes > 0 {
            buffer.discardReadBytes()
            received = buffer
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.connectionClosed, context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(.connectionClosed, context: context)
    }

    /// Fails every pending command and closes: after a lost or late answer the stream is out of step.
    private func failAll(_ error: RedisError, context: ChannelHandlerContext) {
        if failed == nil { failed = error }
        let waiting = pending
        pending.removeAll()
        for entry in waiting {
            entry.timer?.cancel()
            entry.promise.fail(error)
        }
        if context.channel.isActive { context.close(promise: nil) }
    }
}
