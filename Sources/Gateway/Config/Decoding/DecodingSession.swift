/// State shared by every container of one ``ConfigDecoder/decode(_:from:at:into:)`` call:
/// the diagnostics and which keys each decoded mapping was asked for.
final class DecodingSession {
    var diagnostics: Diagnostics
    private var usages: [MappingUsage] = []
    private var usageIndex: [ConfigPath: Int] = [:]

    /// The keys a type asked for in one mapping.
    private struct MappingUsage {
        var path: ConfigPath
        var entries: [ConfigNode.Entry]
        var requested: [String] = []
        var readsAllKeys = false
        var failed = false
    }

    init(diagnostics: Diagnostics) {
        self.diagnostics = diagnostics
    }

    /// Decodes `type` from `node`; on failure the problem is already recorded and
    /// ``AlreadyReported`` is thrown.
    func decode<T: Decodable>(
        _ type: T.Type,
        node: ConfigNode,
        path: ConfigPath,
        codingPath: [any CodingKey]
    )
        throws -> T
    {
        let decoder = NodeDecoder(node: node, path: path, codingPath: codingPath, session: self)
        do {
            if let collection = T.self as? any ConfigCollectionDecodable.Type,
                let value = try collection.decodeCollection(from: decoder) as? T
            {
                return value
            }
            return try T(from: decoder)
        } catch let error as AlreadyReported {
            markFailed(path)
            throw error
        } catch let error as InvalidConfigValue {
            diagnostics.error(error.message, at: node.mark, path: path)
        } catch let error as DecodingError {
            diagnostics.error(Self.describe(error), at: node.mark, path: path)
        } catch {
            diagnostics.error("invalid value: \(error)", at: node.mark, path: path)
        }
        markFailed(path)
        throw AlreadyReported()
    }

    /// Records that `expected` was wanted at `node` and returns the error to throw.
    func mismatch(_ expected: String, _ node: ConfigNode, _ path: ConfigPath) -> AlreadyReported {
        diagnostics.error("expected \(expected), found \(node.summary)", at: node.mark, path: path)
        return AlreadyReported()
    }

    /// Starts tracking key use for the mapping at `path`; returns the handle for ``request(_:in:)``.
    func register(_ entries: [ConfigNode.Entry], at path: ConfigPath) -> Int {
        if let index = usageIndex[path] { return index }
        usages.append(MappingUsage(path: path, entries: entries))
        usageIndex[path] = usages.count - 1
        return usages.count - 1
    }

    /// Notes that the type decoding the registered mapping `mapping` asked for `key`.
    func request(_ key: String, in mapping: Int) {
        if !usages[mapping].requested.contains(key) { usages[mapping].requested.append(key) }
    }

    /// Notes that the registered mapping `mapping` was read as a whole (a dictionary).
    func requestAllKeys(in mapping: Int) {
        usages[mapping].readsAllKeys = true
    }

    private func markFailed(_ path: ConfigPath) {
        if let index = usageIndex[path] { usages[index].failed = true }
    }

    /// Reports every key that its mapping's type never asked for.
    func reportUnknownKeys() {
        for mapping in usages where !mapping.failed && !mapping.readsAllKeys {
            let path = mapping.path
            for entry in mapping.entries where !mapping.requested.contains(entry.key) {
                var message = "unknown field \"\(entry.key)\""
                if let suggestion = Suggestion.closest(to: entry.key, among: mapping.requested) {
                    message += "; did you mean \"\(suggestion)\"?"
                }
                diagnostics.error(message, at: entry.keyMark, path: path.appending(entry.key))
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context),
            .valueNotFound(_, let context), .keyNotFound(_, let context):
            return "invalid value: \(context.debugDescription)"
        @unknown default:
            return "invalid value"
        }
    }
}

/// Thrown inside the decoder once a problem has been recorded, to unwind to the nearest
/// `decodeIfPresent` or list element.
struct AlreadyReported: Error {}
