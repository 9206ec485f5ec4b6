/// Comparisons whose duration does not depend on where two secrets differ.
enum ConstantTime {
    /// Whether the two byte sequences are equal, looking at every byte of `candidate` whatever
    /// happens (the length of the secret still shows, as it does in every such comparison).
    static func equals<A: Collection, B: Collection>(_ secret: A, _ candidate: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        var difference = UInt8(secret.count == candidate.count ? 0 : 1)
        var secretIndex = secret.startIndex
        for byte in candidate {
            let other: UInt8
            if secretIndex != secret.endIndex {
                other = secret[secretIndex]
                secretIndex = secret.index(after: secretIndex)
            } else {
                other = ~byte
            }
            difference |= byte ^ other
        }
        return difference == 0
    }
}
