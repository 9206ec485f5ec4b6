import Testing

@testable import Gateway

@Suite("Prefix trie")
struct PrefixTrieTests {
    /// The ranks found for `path`, list by list (shortest key first).
    func ranks(_ trie: PrefixTrie, _ path: String) -> [Int32] {
        var found: [Int32] = []
        Array(path.utf8).withUnsafeBufferPointer { buffer in
            withUnsafeTemporaryAllocation(of: RankCursor.self, capacity: max(1, trie.rankedDepth)) { cursors in
                var count = 0
                trie.collectPrefixes(of: buffer, trie: 0, into: cursors, count: &count)
                for cursor in cursors[..<count] {
                    found.append(contentsOf: trie.ranks[Int(cursor.position)..<Int(cursor.end)])
                }
            }
        }
        return found
    }

    @Test func findsEveryKeyThatIsAPrefix() {
        let trie = PrefixTrie([
            (key: "/users", rank: 0), (key: "/", rank: 1), (key: "/user", rank: 2), (key: "/users/admin", rank: 3),
            (key: "/api", rank: 4), (key: "", rank: 5), (key: "/users", rank: 6), (key: "/apix", rank: 7),
        ])
        #expect(ranks(trie, "/users/admin/x") == [5, 1, 2, 0, 6, 3])
        #expect(ranks(trie, "/users") == [5, 1, 2, 0, 6])
        #expect(ranks(trie, "/use") == [5, 1])
        #expect(ranks(trie, "/apix/1") == [5, 1, 4, 7])
        #expect(ranks(trie, "/ap") == [5, 1])
        #expect(ranks(trie, "") == [5])
        #expect(ranks(trie, "x") == [5])
        #expect(trie.rankedDepth == 5, "\"\", \"/\", \"/user\", \"/users\", \"/users/admin\"")
    }

    @Test func emptyTrie() {
        let trie = PrefixTrie([(key: String, rank: Int32)]())
        #expect(ranks(trie, "/a").isEmpty)
    }

    @Test func matchesALinearScanOnManyKeys() {
        var keys: [(key: String, rank: Int32)] = []
        var rank: Int32 = 0
        for a in ["", "/a", "/ab", "/b"] {
            for b in ["", "c", "/c", "/cd", "d"] {
                keys.append((key: a + b, rank: rank))
                rank += 1
            }
        }
        let trie = PrefixTrie(keys)
        for path in ["/", "/a", "/abc", "/a/cd/e", "/bd", "/b/c", "/ab/c", "/z", "/abd"] {
            let expected = keys.filter { path.utf8.starts(with: $0.key.utf8) }.map(\.rank).sorted()
            #expect(ranks(trie, path).sorted() == expected, "\(path)")
        }
    }
}
