import CRabbitMQ

/// Memory that rabbitmq-c reads during one call: strings, tables, arrays.
///
/// `amqp_cstring_bytes` on a Swift string's temporary pointer dangles as soon as the expression
/// ends, so every string handed to rabbitmq-c is copied here first and stays valid until `reset()`.
/// Thread-confined to its connection's thread.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit { reset() }

    /// Frees everything allocated since the last reset.
    func reset() {
        for pointer in allocations { pointer.deallocate() }
        allocations.removeAll(keepingCapacity: true)
    }

    /// A copy of `string`'s UTF-8 bytes (not NUL-terminated, as AMQP strings are length-prefixed).
    func bytes(_ string: String) -> amqp_bytes_t {
        var string = string
        return string.withUTF8 { bytes($0) }
    }

    /// A copy of `buffer`.
    func bytes(_ buffer: UnsafeBufferPointer<UInt8>) -> amqp_bytes_t {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return amqp_bytes_t(len: 0, bytes: nil) }
        let copy = UnsafeMutableRawPointer.allocate(byteCount: buffer.count, alignment: 1)
        copy.copyMemory(from: base, byteCount: buffer.count)
        allocations.append(copy)
        return amqp_bytes_t(len: buffer.count, bytes: copy)
    }

    /// Room for `count` values of `T`, initialised to `value`.
    func allocate<T>(_ type: T.Type, count: Int, initializingWith value: T) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value, count: max(count, 1))
        allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }
}

extension amqp_bytes_t {
    /// The bytes as a Swift string (invalid UTF-8 is repaired).
    var string: String {
        guard let bytes, len > 0 else { return "" }
        let buffer = UnsafeRawBufferPointer(start: bytes, count: len)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The bytes copied into an array.
    var array: [UInt8] {
        guard let bytes, len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }
}
