/// Makes request ids without a system call per request: a xoshiro256** generator seeded once (per
/// client connection) from the system's random source. Ids identify requests; they are not secrets.
struct RequestIDGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var system = SystemRandomNumberGenerator()
        state = (system.next(), system.next(), system.next(), system.next() | 1)
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return result
    }

    /// A new id: 32 lowercase hex digits.
    mutating func make() -> String {
        RequestID.hex128(next(), next())
    }

    /// A new random (version 4) UUID in its canonical lowercase form.
    mutating func uuid() -> String {
        RequestID.uuid(next(), next())
    }

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
