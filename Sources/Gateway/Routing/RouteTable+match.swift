extension RouteTable {
    /// The best-ranked route whose every condition matches `request`, or nil (Kong's 404
    /// "no Route matched with those values").
    public func match<Headers: RouteHeaders>(_ request: RouteRequest<Headers>) -> RouteMatch? {
        let found =
            request.path.utf8.withContiguousStorageIfAvailable { winner(for: request, path: $0) }
            ?? Array(request.path.utf8).withUnsafeBufferPointer { winner(for: request, path: $0) }
        guard let winner = found else { return nil }
        let entry = entries[winner.rank]
        let definition = routes[entry.routeIndex].definition
        var matchedPath: String?
        if case .prefix(let prefix) = entry.path { matchedPath = prefix }
        return RouteMatch(
            routeID: definition.id,
            entryIndex: winner.rank,
            matchedPath: winner.regexMatch?.matched ?? matchedPath,
            stripPath: definition.stripPath,
            captures: winner.regexMatch?.captures ?? RouteCaptures()
        )
    }

    /// The winning entry, with what its regex matched (the `Regex` match itself is a resilient
    /// type, costly to pass around, so it is converted where it is found).
    private struct Winner {
        var rank: Int
        var regexMatch: (matched: String, captures: RouteCaptures)?
    }

    /// The rank of the winning entry (and its regex match, for a regex entry).
    ///
    /// The candidates are the rank lists stored at every trie key that prefixes the path, in
    /// the any-host trie and in the request host's trie. Each list is ascending, so merging them
    /// examines candidates in rank order, and the first one whose conditions hold wins: no
    /// regex ranked below the winner is ever run.
    private func winner<Headers: RouteHeaders>(
        for request: RouteRequest<Headers>,
        path: UnsafeBufferPointer<UInt8>
    ) -> Winner? {
        let hostTrie = byHost.isEmpty ? nil : byHost[request.host]
        let anyRanks = anyHost.ranks
        let hostRanks = hostTrie?.ranks ?? []
        let capacity = max(1, anyHost.rankedDepth + (hostTrie?.rankedDepth ?? 0))
        return withUnsafeTemporaryAllocation(of: RankCursor.self, capacity: capacity) { cursors in
            var count = 0
            anyHost.collectPrefixes(of: path, trie: 0, into: cursors, count: &count)
            hostTrie?.collectPrefixes(of: path, trie: 1, into: cursors, count: &count)
            while true {
                // The smallest head among the lists (there are only a handful).
                var chosen = -1
                var rank = Int32.max
                for index in 0..<count {
                    let cursor = cursors[index]
                    guard cursor.position < cursor.end else { continue }
                    let head = cursor.trie == 0 ? anyRanks[Int(cursor.position)] : hostRanks[Int(cursor.position)]
                    if head < rank {
                        rank = head
                        chosen = index
                    }
                }
                guard chosen >= 0 else { return nil }
                cursors[chosen].position += 1
                let candidate = candidates[Int(rank)]
                guard routes[Int(candidate.routeIndex)].matchesConditions(request) else { continue }
                guard candidate.regexIndex >= 0 else { return Winner(rank: Int(rank)) }
                if let match = regexes[Int(candidate.regexIndex)].prefixMatch(in: request.path) {
                    let matched = String(request.path[match.range])
                    return Winner(rank: Int(rank), regexMatch: (matched, RouteCaptures(match.output)))
                }
            }
        }
    }
}
