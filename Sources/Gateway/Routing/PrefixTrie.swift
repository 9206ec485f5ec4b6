/// A compressed byte-wise prefix trie from string keys to entry ranks, frozen into flat arrays.
///
/// Keys are plain string prefixes (so `/api` is found for `/apix` too). A lookup walks the path
/// once and reports the ranks stored at every key that is a prefix of it: O(path length), however
/// many keys there are. Built once per configuration; read-only afterwards.
struct PrefixTrie: Sendable {
    struct Node: Sendable {
        /// Edge label from the parent: `labels[labelStart ..< labelStart + labelCount]`.
        var labelStart: Int32
        var labelCount: Int32
        /// Children: `childBytes/childNodes[childStart ..< childStart + childCount]`, sorted by byte.
        var childStart: Int32
        var childCount: Int32
        /// Ranks stored at this key, ascending: `ranks[rankStart ..< rankStart + rankCount]`.
        var rankStart: Int32
        var rankCount: Int32
    }

    /// Node 0 is the root (empty key).
    let nodes: [Node]
    let labels: [UInt8]
    /// First byte of each child's label, parallel to `childNodes`.
    let childBytes: [UInt8]
    let childNodes: [Int32]
    let ranks: [Int32]
    /// The most keys with ranks that one path can have as prefixes: how many rank lists a
    /// lookup can collect.
    let rankedDepth: Int

    /// The trie of the given (key, rank) pairs. Insert in ascending rank order so that each
    /// key's ranks come out sorted.
    init(_ pairs: some Sequence<(key: String, rank: Int32)>) {
        var builder = Builder()
        for pair in pairs { builder.insert(Array(pair.key.utf8), rank: pair.rank) }
        var nodes: [Node] = []
        var labels: [UInt8] = []
        var childBytes: [UInt8] = []
        var childNodes: [Int32] = []
        var ranks: [Int32] = []
        var rankedDepth = 0
        // Breadth-first, so that each node's children are numbered consecutively.
        var queue = [(draft: 0, rankedAbove: 0)]
        var head = 0
        nodes.reserveCapacity(builder.nodes.count)
        while head < queue.count {
            let (draftIndex, rankedAbove) = queue[head]
            let draft = builder.nodes[draftIndex]
            let ranked = rankedAbove + (draft.ranks.isEmpty ? 0 : 1)
            rankedDepth = max(rankedDepth, ranked)
            head += 1
            let children = draft.children.sorted { $0.key < $1.key }
            let firstChild = queue.count
            nodes.append(
                Node(
                    labelStart: Int32(labels.count),
                    labelCount: Int32(draft.label.count),
                    childStart: Int32(childBytes.count),
                    childCount: Int32(children.count),
                    rankStart: Int32(ranks.count),
                    rankCount: Int32(draft.ranks.count)
                )
            )
            labels.append(contentsOf: draft.label)
            ranks.append(contentsOf: draft.ranks)
            for (offset, child) in children.enumerated() {
                childBytes.append(child.key)
                childNodes.append(Int32(firstChild + offset))
                queue.append((draft: child.value, rankedAbove: ranked))
            }
        }
        self.nodes = nodes
        self.labels = labels
        self.childBytes = childBytes
        self.childNodes = childNodes
        self.ranks = ranks
        self.rankedDepth = rankedDepth
    }

    /// The mutable form, with split-on-insert radix nodes.
    private struct Builder {
        struct Draft {
            var label: [UInt8]
            var children: [UInt8: Int] = [:]
            var ranks: [Int32] = []
        }

        var nodes = [Draft(label: [])]

        mutating func insert(_ key: [UInt8], rank: Int32) {
            var node = 0
            var offset = 0
            while offset < key.count {
                let byte = key[offset]
                guard let child = nodes[node].children[byte] else {
                    nodes.append(Draft(label: Array(key[offset...])))
                    nodes[node].children[byte] = nodes.count - 1
                    node = nodes.count - 1
                    offset = key.count
                    break
                }
                let label = nodes[child].label
                var common = 0
                while common < label.count && offset + common < key.count && label[common] == key[offset + common] {
                    common += 1
                }
                if common < label.count {
                    // Split the edge: parent → middle (label[..<common]) → child (label[common...]).
                    nodes[child].label = Array(label[common...])
                    nodes.append(Draft(label: Array(label[..<common]), children: [label[common]: child]))
                    nodes[node].children[byte] = nodes.count - 1
                    node = nodes.count - 1
                } else {
                    node = child
                }
                offset += common
            }
            nodes[node].ranks.append(rank)
        }
    }
}
