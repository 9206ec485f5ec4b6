/// A position in one rank list found by a trie lookup, advanced as candidates are examined.
struct RankCursor {
    /// Next index into the trie's `ranks`.
    var position: Int32
    /// End of the list in the trie's `ranks`.
    let end: Int32
    /// Which trie the list belongs to (the caller's numbering).
    let trie: UInt8
}

extension PrefixTrie {
    /// Appends to `cursors` (from `count`, which it advances) a cursor over the ranks stored at
    /// each key that is a prefix of `path`, shortest key first (the empty key included). Walks
    /// the path once; no allocation. `cursors` must have room for `rankedDepth` more.
    @inline(__always)
    func collectPrefixes(
        of path: UnsafeBufferPointer<UInt8>,
        trie: UInt8,
        into cursors: UnsafeMutableBufferPointer<RankCursor>,
        count: inout Int
    ) {
        var node = 0
        var offset = 0
        while true {
            let current = nodes[node]
            if current.rankCount > 0 {
                cursors[count] = RankCursor(
                    position: current.rankStart,
                    end: current.rankStart + current.rankCount,
                    trie: trie
                )
                count += 1
            }
            guard offset < path.count, let child = child(of: current, byte: path[offset]) else { return }
            let next = nodes[child]
            let labelCount = Int(next.labelCount)
            guard offset + labelCount <= path.count else { return }
            let labelStart = Int(next.labelStart)
            // The first byte is known to match; compare the rest of the edge label.
            var index = 1
            while index < labelCount {
                if labels[labelStart + index] != path[offset + index] { return }
                index += 1
            }
            offset += labelCount
            node = child
        }
    }

    /// The child whose label starts with `byte`, by binary search over the sorted first bytes.
    @inline(__always)
    private func child(of node: Node, byte: UInt8) -> Int? {
        var low = Int(node.childStart)
        var high = low + Int(node.childCount)
        while low < high {
            let middle = (low + high) / 2
            let candidate = childBytes[middle]
            if candidate == byte { return Int(childNodes[middle]) }
            if candidate < byte { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}
