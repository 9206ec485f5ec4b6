extension KeyedDecodingContainer {
    /// The value for `key`, or `fallback` when it is absent, null or invalid (an invalid value
    /// has already been reported by ``ConfigDecoder``).
    public func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }

    /// The value for `key` when present and valid.
    public func optional<T: Decodable>(_ key: Key) throws -> T? {
        try decodeIfPresent(T.self, forKey: key)
    }

    /// Accepts `keys` without reading them (Kong bookkeeping fields such as `created_at`).
    public func accept(_ keys: Key...) {
        for key in keys { _ = contains(key) }
    }
}
