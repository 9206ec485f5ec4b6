import Synchronization

/// Picks a target of a Kong upstream for each connection attempt.
///
/// Round-robin is nginx's smooth weighted round-robin; least-connections picks the target with the
/// fewest active connections relative to its weight; consistent-hashing maps a hash key (client IP,
/// consumer, header...) onto a ring of weighted points so that a key keeps its target.
public final class LoadBalancer: Sendable {
    /// Kong's `algorithm`.
    public enum Algorithm: String, Sendable {
        case roundRobin = "round-robin"
        case leastConnections = "least-connections"
        case consistentHashing = "consistent-hashing"
        case latency
    }

    /// A target with its weight.
    public struct Target: Sendable, Hashable {
        /// The target's address.
        public let endpoint: HTTPEndpoint
        /// Kong's weight (0 disables the target).
        public let weight: Int

        /// Creates a target.
        public init(endpoint: HTTPEndpoint, weight: Int) {
            self.endpoint = endpoint
            self.weight = weight
        }
    }

    /// The upstream's name.
    public let name: String
    /// The algorithm.
    public let algorithm: Algorithm
    /// The targets with a weight above zero, in configuration order.
    public let targets: [Target]
    private let ring: [(hash: UInt64, index: Int)]
    private let state: Mutex<State>

    private struct State {
        var currentWeights: [Int]
        var active: [Int]
    }

    /// Creates a balancer; targets with weight 0 are left out.
    public init(name: String, algorithm: Algorithm, targets: [Target]) {
        self.name = name
        self.algorithm = algorithm
        let enabled = targets.filter { $0.weight > 0 }
        self.targets = enabled
        var ring: [(hash: UInt64, index: Int)] = []
        if algorithm == .consistentHashing {
            for (index, target) in enabled.enumerated() {
                let points = max(1, target.weight)
                for point in 0..<points {
                    ring.append((StableHash.fnv1a64("\(target.endpoint.description)#\(point)"), index))
                }
            }
            ring.sort { $0.hash < $1.hash }
        }
        self.ring = ring
        self.state = Mutex(
            State(
                currentWeights: Array(repeating: 0, count: enabled.count),
                active: Array(repeating: 0, count: enabled.count)
            )
        )
    }

    /// The index of the target to try next, or nil when the upstream has no healthy target.
    /// `excluding` holds targets that already failed for this request.
    public func pick(hashKey: String?, excluding: Set<Int> = []) -> Int? {
        guard !targets.isEmpty, excluding.count < targets.count else { return nil }
        switch algorithm {
        case .consistentHashing where hashKey != nil:
            return pickFromRing(StableHash.fnv1a64(hashKey ?? ""), excluding: excluding)
        case .leastConnections:
            return state.withLock { state in
                var best: Int?
                var bestLoad = Double.infinity
                for index in targets.indices where !excluding.contains(index) {
                    let load = Double(state.active[index] + 1) / Double(targets[index].weight)
                    if load < bestLoad {
                        bestLoad = load
                        best = index
                    }
                }
                return best
            }
        default:
            return state.withLock { state in
                var total = 0
                var best: Int?
                for index in targets.indices where !excluding.contains(index) {
                    state.currentWeights[index] += targets[index].weight
                    total += targets[index].weight
                    if best.map({ state.currentWeights[index] > state.currentWeights[$0] }) ?? true {
                        best = index
                    }
                }
                if let best { state.currentWeights[best] -= total }
                return best
            }
        }
    }

    /// Tells the balancer a connection to `index` started (least-connections bookkeeping).
    public func connectionStarted(_ index: Int) {
        guard algorithm == .leastConnections, targets.indices.contains(index) else { return }
        state.withLock { $0.active[index] += 1 }
    }

    /// Tells the balancer a request to `index` finished.
    public func connectionFinished(_ index: Int) {
        guard algorithm == .leastConnections, targets.indices.contains(index) else { return }
        state.withLock { $0.active[index] = max(0, $0.active[index] - 1) }
    }

    private func pickFromRing(_ hash: UInt64, excluding: Set<Int>) -> Int? {
        guard !ring.isEmpty else { return nil }
        var low = 0
        var high = ring.count
        while low < high {
            let mid = (low + high) / 2
            if ring[mid].hash < hash { low = mid + 1 } else { high = mid }
        }
        for offset in 0..<ring.count {
            let candidate = ring[(low + offset) % ring.count].index
            if !excluding.contains(candidate) { return candidate }
        }
        return nil
    }
}

/// A hash that is the same in every process and run (Swift's `Hasher` is seeded per process).
public enum StableHash {
    /// 64-bit FNV-1a of the string's UTF-8 bytes.
    public static func fnv1a64(_ string: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in string.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
