import Foundation

/// A set of IPv4/IPv6 addresses and CIDR ranges, matched against textual client addresses.
public struct IPMatcher: Sendable, Hashable {
    private var ranges: [CIDR] = []

    /// An empty matcher (matches nothing).
    public init() {}

    /// Parses entries such as `10.0.0.0/8`, `127.0.0.1`, `::1`, `fd00::/8`; returns nil on the first
    /// malformed entry.
    public init?(_ entries: [String]) {
        for entry in entries {
            guard let cidr = CIDR(entry) else { return nil }
            ranges.append(cidr)
        }
    }

    /// True when no range is configured.
    public var isEmpty: Bool { ranges.isEmpty }

    /// Whether the address (textual form) lies in one of the ranges.
    public func contains(_ address: String) -> Bool {
        guard !ranges.isEmpty, let parsed = IPAddressBytes(address) else { return false }
        return ranges.contains { $0.contains(parsed) }
    }
}

/// A network in CIDR notation.
public struct CIDR: Sendable, Hashable {
    let network: IPAddressBytes
    let prefixLength: Int

    /// Parses `ADDRESS` or `ADDRESS/BITS`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddressBytes(String(parts[0])) else { return nil }
        let maxBits = address.bytes.count * 8
        if parts.count == 2 {
            guard let bits = Int(parts[1]), (0...maxBits).contains(bits) else { return nil }
            prefixLength = bits
        } else {
            prefixLength = maxBits
        }
        network = address
    }

    func contains(_ address: IPAddressBytes) -> Bool {
        var candidate = address
        if candidate.bytes.count != network.bytes.count {
            // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) matches IPv4 ranges.
            guard network.bytes.count == 4, let mapped = candidate.unmappedIPv4 else { return false }
            candidate = mapped
        }
        var remaining = prefixLength
        for (lhs, rhs) in zip(candidate.bytes, network.bytes) {
            if remaining <= 0 { return true }
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if lhs & mask != rhs & mask { return false }
            remaining -= 8
        }
        return true
    }
}

/// The bytes of an IPv4 (4) or IPv6 (16) address.
struct IPAddressBytes: Sendable, Hashable {
    let bytes: [UInt8]

    init?(_ text: String) {
        if text.contains(":") {
            guard let parsed = Self.parseV6(text) else { return nil }
            bytes = parsed
        } else {
            guard let parsed = Self.parseV4(Substring(text)) else { return nil }
            bytes = parsed
        }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    var unmappedIPv4: IPAddressBytes? {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF
        else { return nil }
        return IPAddressBytes(bytes: Array(bytes[12...]))
    }

    private static func parseV4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else {
                return nil
            }
            result.append(value)
        }
        return result
    }

    private static func parseV6(_ input: String) -> [UInt8]? {
        var text = Substring(input)
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }  // zone id
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            if part.isEmpty { return [] }
            var out: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseV4(piece) else { return nil }
                    out += v4
                    continue
                }
                guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                out += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 16 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
