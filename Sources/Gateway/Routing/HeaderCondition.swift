/// One entry of a route's `headers`: a header name and the values that satisfy it.
struct HeaderCondition: Sendable {
    /// Lower-cased header name.
    let name: String
    /// Lower-cased exact values.
    let values: [String]
    /// `~*` values: case-insensitive regexes searched anywhere in the request's value.
    let patterns: [RouteRegex]
    /// The values as written, for `pasarela routes`.
    let display: [String]

    /// Compiles one header's values, collecting a problem for each bad one.
    static func compile(
        name: String,
        values raw: [String],
        routeID: Int,
        problems: inout [RouteDefinitionProblem]
    ) -> HeaderCondition {
        let lowered = ASCII.lowercased(name)
        func problem(_ message: String, index: Int? = nil) {
            problems.append(
                RouteDefinitionProblem(
                    routeID: routeID,
                    field: .headers,
                    key: name,
                    index: index,
                    message: message
                )
            )
        }
        if lowered.isEmpty || !lowered.utf8.allSatisfy(isTokenByte) {
            problem("invalid header name: '\(name)'")
        }
        if lowered == "host" {
            problem("cannot contain 'host' header, which must be specified in the 'hosts' attribute")
        }
        if raw.isEmpty { problem("must have at least one value") }
        var values: [String] = []
        var patterns: [RouteRegex] = []
        for (index, value) in raw.enumerated() {
            if value.hasPrefix("~*") {
                do {
                    patterns.append(try RouteRegex(String(value.dropFirst(2)), ignoringCase: true))
                } catch {
                    problem("invalid regex: '\(value.dropFirst(2))' (\(error))", index: index)
                }
            } else {
                values.append(ASCII.lowercased(value))
            }
        }
        return HeaderCondition(name: lowered, values: values, patterns: patterns, display: raw)
    }

    /// Whether one of the request's values for this header is accepted.
    @inline(__always)
    func matches(_ headers: some RouteHeaders) -> Bool {
        headers.containsValue(forName: name) { value in
            for accepted in values where ASCII.equalsIgnoringCase(value, lowercased: accepted) {
                return true
            }
            for pattern in patterns where pattern.isFound(in: value) {
                return true
            }
            return false
        }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
