import CRabbitMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Publishes encoded into wire frames and written with one `send` per batch.
///
/// rabbitmq-c's `amqp_basic_publish` makes three `send` calls per message (method, header, body),
/// and so does the loopback stack and the broker's reader on the other side. Encoding a batch of
/// publishes here (with rabbitmq-c's own encoders) and writing it at once roughly halves the CPU
/// per confirmed message. Plain TCP only: a TLS socket must be written through rabbitmq-c.
final class PublishBuffer {
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0

    /// Flush without waiting for the end of the batch beyond this size.
    static let flushThreshold = 256 * 1024

    init(capacity: Int = 64 * 1024) {
        self.capacity = capacity
        self.storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    }

    deinit { storage.deallocate() }

    var isEmpty: Bool { count == 0 }

    /// Appends the method, header and body frames of one `basic.publish`. On failure (properties
    /// too large for a frame) nothing is appended.
    func append(
        channel: UInt16, publish: inout amqp_basic_publish_t, properties: inout amqp_basic_properties_t,
        body: UnsafeRawBufferPointer, frameMax: Int
    ) throws(AMQPError) {
        let start = count
        do {
            try appendFrame(type: UInt8(AMQP_FRAME_METHOD), channel: channel, reserve: 1024) { payload, room in
                Self.put32(PASARELA_BASIC_PUBLISH, at: payload)
                let encoded = amqp_encode_method(
                    PASARELA_BASIC_PUBLISH, &publish, amqp_bytes_t(len: room - 4, bytes: payload + 4))
                return encoded < 0 ? Int(encoded) : Int(encoded) + 4
            }
            try appendFrame(type: UInt8(AMQP_FRAME_HEADER), channel: channel, reserve: frameMax) { payload, room in
                Self.put16(PASARELA_BASIC_CLASS, at: payload)
                Self.put16(0, at: payload + 2)
                Self.put64(UInt64(body.count), at: payload + 4)
                let encoded = amqp_encode_properties(
                    PASARELA_BASIC_CLASS, &properties, amqp_bytes_t(len: room - 12, bytes: payload + 12))
                return encoded < 0 ? Int(encoded) : Int(encoded) + 12
            }
        } catch {
            count = start
            throw error
        }
        let chunk = max(1, frameMax - 8)
        var offset = 0
        while offset < body.count, let base = body.baseAddress {
            let length = min(chunk, body.count - offset)
            try? appendFrame(type: UInt8(AMQP_FRAME_BODY), channel: channel, reserve: length) { payload, _ in
                payload.copyMemory(from: base + offset, byteCount: length)
                return length
            }
            offset += length
        }
    }

    /// Writes everything to `descriptor`, waiting while the socket is full, at most `stallLimit`
    /// without progress. The buffer is empty afterwards, whatever happened.
    func write(to descriptor: Int32, stallLimit: Duration) throws(AMQPError) {
        defer { count = 0 }
        var offset = 0
        var stalledSince: ContinuousClock.Instant?
        while offset < count {
            let sent = send(descriptor, storage + offset, count - offset, Int32(MSG_NOSIGNAL))
            if sent > 0 {
                offset += sent
                stalledSince = nil
                continue
            }
            let error = errno
            guard sent < 0, error == EAGAIN || error == EWOULDBLOCK || error == EINTR else {
                throw .library("send: \(String(cString: strerror(error)))")
            }
            let now = ContinuousClock.now
            let since = stalledSince ?? now
            stalledSince = since
            if since.duration(to: now) > stallLimit {
                throw .library("the broker has not read for \(stallLimit) (resource alarm?)")
            }
            var descriptors = [pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)]
            _ = poll(&descriptors, 1, 100)
        }
    }

    /// Writes a frame: type, channel, size, payload (filled by `fill`, which returns its length
    /// or a negative rabbitmq-c status), frame end.
    private func appendFrame(
        type: UInt8, channel: UInt16, reserve payloadCapacity: Int,
        fill: (UnsafeMutableRawPointer, Int) -> Int
    ) throws(AMQPError) {
        ensureCapacity(count + 8 + payloadCapacity)
        let frame = storage + count
        frame.storeBytes(of: type, as: UInt8.self)
        Self.put16(channel, at: frame + 1)
        let length = fill(frame + 7, payloadCapacity)
        guard length >= 0 else { throw .library("cannot encode the message: \(RabbitError.text(Int32(length)))") }
        Self.put32(UInt32(length), at: frame + 3)
        (frame + 7 + length).storeBytes(of: UInt8(AMQP_FRAME_END), as: UInt8.self)
        count += 8 + length
    }

    private func ensureCapacity(_ needed: Int) {
        guard needed > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 8)
        grown.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = grown
        capacity = newCapacity
    }

    private static func put16(_ value: UInt16, at pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: value.bigEndian, toByteOffset: 0, as: UInt16.self)
    }

    private static func put32(_ value: UInt32, at pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: value.bigEndian, toByteOffset: 0, as: UInt32.self)
    }

    private static func put64(_ value: UInt64, at pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: value.bigEndian, toByteOffset: 0, as: UInt64.self)
    }
}
