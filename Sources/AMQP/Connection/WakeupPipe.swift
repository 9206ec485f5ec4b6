#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A self-pipe that wakes the connection thread from `poll` when a command arrives.
struct WakeupPipe: Sendable {
    let readDescriptor: Int32
    let writeDescriptor: Int32

    /// Opens a non-blocking pipe; descriptors are `-1` if that fails (the thread then polls often).
    static func make() -> WakeupPipe {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return WakeupPipe(readDescriptor: -1, writeDescriptor: -1) }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        return WakeupPipe(readDescriptor: descriptors[0], writeDescriptor: descriptors[1])
    }

    var isValid: Bool { readDescriptor >= 0 }

    /// Wakes the thread.
    func signal() {
        guard writeDescriptor >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Empties the pipe after a wake-up.
    func drain() {
        guard readDescriptor >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readDescriptor, &buffer, buffer.count) > 0 {}
    }

    /// Closes both ends; only once nobody can signal any more.
    func close() {
        if readDescriptor >= 0 { closeDescriptor(readDescriptor) }
        if writeDescriptor >= 0 { closeDescriptor(writeDescriptor) }
    }

    /// Waits until `descriptor` (if not `-1`) or the pipe is readable, or `timeout` passes.
    /// Returns whether `descriptor` is readable (or in error, which the next read reports).
    func wait(for descriptor: Int32, timeout: Duration) -> Bool {
        // Round up, so that a wait for a deadline does not wake just before it.
        let milliseconds = max(0, min(Int64(Int32.max), (timeout + .nanoseconds(999_999)).wholeMilliseconds))
        var descriptors = [
            pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(isValid ? milliseconds : min(milliseconds, 5)))
        if ready > 0, descriptors[1].revents != 0 { drain() }
        return ready > 0 && descriptors[0].revents != 0
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(descriptor)
    #elseif canImport(Darwin)
        _ = Darwin.close(descriptor)
    #endif
}
