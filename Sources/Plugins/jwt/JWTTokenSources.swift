import NIOHTTP1

/// Where Kong's `jwt` looks for tokens: query parameters, then cookies, then `Bearer` headers.
struct JWTTokenSources: Sendable {
    /// What the request carried.
    enum Found: Equatable {
        /// No token anywhere.
        case none
        /// Exactly one distinct token.
        case one(String)
        /// Several different tokens (the same token twice counts once).
        case several
    }

    let uriParamNames: [String]
    let cookieNames: [String]
    let headerNames: [String]

    /// The request's tokens (`query` without `?`).
    func find(query: String?, headers: HTTPHeaders) -> Found {
        var first: String?
        var several = false
        func add(_ token: String) {
            guard !token.isEmpty else { return }
            if let first { several = several || first != token } else { first = token }
        }
        if let query, !uriParamNames.isEmpty {
            let arguments = FormArguments(decoding: query[...])
            for name in uriParamNames {
                // A bare `?jwt` is Lua's `true`, not a token.
                if case .values(let values)? = arguments[name] { values.forEach(add) }
            }
        }
        for name in cookieNames {
            if let value = Cookies.value(named: name, in: headers) { add(value) }
        }
        for name in headerNames {
            if let value = headers.first(name: name), let token = Self.bearerToken(in: value) { add(token) }
        }
        if several { return .several }
        return first.map(Found.one) ?? .none
    }

    /// The token after the first `Bearer`/`bearer` followed by whitespace in `value` (Kong's
    /// unanchored `\s*[Bb]earer\s+(.+)`), or nil.
    static func bearerToken(in value: String) -> String? {
        let bytes = Array(value.utf8)
        let word = Array("earer".utf8)
        var index = 0
        while index + 6 < bytes.count {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: "B") || bytes[index] == UInt8(ascii: "b"),
                Array(bytes[(index + 1)..<(index + 6)]) == word, isSpace(bytes[index + 6])
            else { continue }
            var start = index + 6
            while start < bytes.count, isSpace(bytes[start]) { start += 1 }
            if start == bytes.count {
                // Only spaces follow: `\s+(.+)` matches if it can give one back to `(.+)`.
                guard start - (index + 6) >= 2 else { continue }
                start -= 1
            }
            return String(decoding: bytes[start...], as: UTF8.self)
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0B || byte == 0x0C || byte == 0x0D
    }
}
