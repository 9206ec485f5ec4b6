import Synchronization

/// The running configuration behind one lock-protected reference: reading it is one retain, and a
/// reload is one swap. Requests in flight keep the snapshot they started with.
public final class ConfigStore: Sendable {
    private let value: Mutex<CompiledConfig>
    private let generationCounter = Atomic<Int>(1)

    /// Starts with a compiled configuration.
    public init(_ initial: CompiledConfig) {
        value = Mutex(initial)
    }

    /// The configuration new requests use.
    public var current: CompiledConfig {
        value.withLock { $0 }
    }

    /// How many configurations have been installed (1 at start).
    public var generation: Int { generationCounter.load(ordering: .relaxed) }

    /// Installs a new configuration; requests already running finish on the old one.
    public func replace(with config: CompiledConfig) {
        value.withLock { $0 = config }
        generationCounter.add(1, ordering: .relaxed)
    }
}
