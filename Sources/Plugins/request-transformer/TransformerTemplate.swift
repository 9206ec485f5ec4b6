import NIOHTTP1

/// The part of Kong's `$(...)` value templates that needs no Lua: `$(headers.name)`,
/// `$(headers["name"])`, `$(query_params.name)`, `$(uri_captures.name)` (also with `['name']`), each
/// optionally followed by `or 'default'`, inside literal text. As in Kong, a missing value renders as
/// the default or as nothing; a repeated header or argument renders its first value; a header name's
/// `_` matches `-`. Any other expression is refused when the file loads.
struct TransformerTemplate: Sendable, Equatable {
    /// Where a lookup reads.
    enum Source: String, Sendable {
        case headers
        case queryParams = "query_params"
        case uriCaptures = "uri_captures"
    }

    enum Part: Sendable, Equatable {
        case text(String)
        case lookup(Source, key: String, fallback: String?)
    }

    /// Why a template cannot be used.
    struct Unsupported: Error, Equatable {
        let message: String
    }

    let parts: [Part]

    /// Whether `text` contains a template at all.
    static func isTemplate(_ text: String) -> Bool { text.contains("$(") }

    /// Parses `text`; throws for expressions outside the supported lookups or unbalanced parentheses.
    init(_ text: String) throws(Unsupported) {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("$(") {
                let open = text.index(after: index)
                guard let close = Self.matchingParenthesis(in: text, from: open) else {
                    throw Unsupported(message: "unbalanced template in \"\(text)\"")
                }
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = ""
                parts.append(try Self.lookup(String(text[text.index(after: open)..<close])))
                index = text.index(after: close)
            } else {
                literal.append(text[index])
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        self.parts = parts
    }

    /// The text with each lookup replaced by its value.
    func render(headers: HTTPHeaders, query: FormArguments, captures: [String: String]) -> String {
        var output = ""
        for part in parts {
            switch part {
            case .text(let text):
                output += text
            case .lookup(let source, let key, let fallback):
                let value: String?
                switch source {
                case .headers:
                    value = headers.first(name: key) ?? headers.first(name: key.replacingUnderscores)
                case .queryParams:
                    switch query[key] {
                    case .flag?: value = "true"
                    case .values(let values)?: value = values.first
                    case nil: value = nil
                    }
                case .uriCaptures:
                    value = captures[key]
                }
                output += value ?? fallback ?? ""
            }
        }
        return output
    }

    private static func matchingParenthesis(in text: String, from open: String.Index) -> String.Index? {
        var depth = 0
        var index = open
        while index < text.endIndex {
            if text[index] == "(" { depth += 1 }
            if text[index] == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func lookup(_ expression: String) throws(Unsupported) -> Part {
        let lookupPattern =
            #/^\s*(headers|query_params|uri_captures)(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*(?:'([^']*)'|"([^"]*)")\s*\])(?:\s+or\s+(?:'([^']*)'|"([^"]*)"))?\s*$/#
        guard let match = try? lookupPattern.wholeMatch(in: expression),
            let source = Source(rawValue: String(match.output.1))
        else {
            throw Unsupported(
                message:
                    "unsupported template expression \"$(\(expression))\": only headers, query_params and uri_captures lookups (with an optional `or 'default'`) are supported"
            )
        }
        let key = match.output.2 ?? match.output.3 ?? match.output.4 ?? ""
        let fallback = (match.output.5 ?? match.output.6).map(String.init)
        return .lookup(source, key: String(key), fallback: fallback)
    }
}

extension String {
    fileprivate var replacingUnderscores: String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
