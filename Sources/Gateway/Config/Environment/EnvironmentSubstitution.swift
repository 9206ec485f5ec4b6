import Foundation

/// Replaces `${VAR}` and `${VAR:-default}` in string scalars with values from an environment.
///
/// Shell semantics: `${VAR:-default}` uses `default` when `VAR` is unset or empty; `${VAR}`
/// with `VAR` unset is an error ("environment variable VAR is not set"); an empty `VAR` is
/// used as it is. Text without `${` is left untouched, keys are never substituted, and a
/// plain scalar keeps its style, so `port: ${PORT:-8000}` still reads as an integer.
public struct EnvironmentSubstitution: Sendable {
    /// The variables to substitute from.
    public var environment: [String: String]

    /// Creates a substitution over `environment`.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Why a string could not be substituted.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// `${NAME}` with `NAME` unset and no default.
        case unset(String)
        /// `${` with no closing `}`.
        case unterminated
        /// `${...}` whose content is not `NAME` or `NAME:-default`.
        case malformed(String)
        /// `${NAME:-...}` whose default holds another reference.
        case nested(String)

        /// The message reported at the scalar.
        public var description: String {
            switch self {
            case .unset(let name): return "environment variable \(name) is not set"
            case .unterminated: return "unterminated \"${\": expected \"}\""
            case .malformed(let text): return "invalid reference \"${\(text)}\": expected ${NAME} or ${NAME:-default}"
            case .nested(let name): return "the default for \(name) cannot hold another ${...} reference"
            }
        }
    }

    /// `text` with every reference replaced, or the first failure.
    public func substitute(_ text: String) -> Result<String, Failure> {
        guard text.contains("${") else { return .success(text) }
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            output += rest[..<open.lowerBound]
            let body = rest[open.upperBound...]
            guard let close = body.firstIndex(of: "}") else { return .failure(.unterminated) }
            switch resolve(body[..<close]) {
            case .success(let value): output += value
            case .failure(let failure): return .failure(failure)
            }
            rest = body[body.index(after: close)...]
        }
        output += rest
        return .success(output)
    }

    /// A copy of `node` with every string scalar substituted; failures are recorded at the
    /// scalar's mark and leave that scalar as it was.
    public func apply(
        to node: ConfigNode,
        at path: ConfigPath,
        into diagnostics: inout Diagnostics
    )
        -> ConfigNode
    {
        var node = node
        switch node.value {
        case .null:
            break
        case .scalar(var scalar):
            switch substitute(scalar.text) {
            case .success(let text):
                scalar.text = text
                node.value = .scalar(scalar)
            case .failure(let failure):
                diagnostics.error(failure.description, at: node.mark, path: path)
            }
        case .sequence(let items):
            node.value = .sequence(
                items.enumerated().map { apply(to: $1, at: path.appending(index: $0), into: &diagnostics) }
            )
        case .mapping(let entries):
            node.value = .mapping(
                entries.map { entry in
                    var entry = entry
                    entry.value = apply(to: entry.value, at: path.appending(entry.key), into: &diagnostics)
                    return entry
                }
            )
        }
        return node
    }

    private func resolve(_ reference: Substring) -> Result<String, Failure> {
        let name: Substring
        let fallback: Substring?
        if let separator = reference.range(of: ":-") {
            name = reference[..<separator.lowerBound]
            fallback = reference[separator.upperBound...]
        } else {
            name = reference
            fallback = nil
        }
        guard Self.isName(name) else { return .failure(.malformed(String(reference))) }
        guard fallback?.contains("${") != true else { return .failure(.nested(String(name))) }
        let value = environment[String(name)]
        if let fallback {
            return .success(value.flatMap { $0.isEmpty ? nil : $0 } ?? String(fallback))
        }
        guard let value else { return .failure(.unset(String(name))) }
        return .success(value)
    }

    private static func isName(_ name: Substring) -> Bool {
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}
