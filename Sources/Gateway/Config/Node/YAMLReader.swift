import Yams

/// Turns YAML text into a ``ConfigNode`` tree with Yams, reporting syntax errors and
/// duplicate keys with their line and column.
///
/// libyaml (through Yams) stops at a duplicate key; the reader then renames that key in a
/// private copy of the text and parses again, so that every duplicate and every later
/// problem is still reported.
public enum YAMLReader {
    /// Parses `text`; returns `nil` (after recording why) when it is not usable YAML.
    public static func read(_ text: String, into diagnostics: inout Diagnostics) -> ConfigNode? {
        var source = text
        var renamed: [ConfigMark: DuplicateKey] = [:]
        while true {
            do {
                guard let node = try Yams.compose(yaml: source) else {
                    diagnostics.error("the file is empty; expected a mapping", at: .start, path: .root)
                    return nil
                }
                var builder = TreeBuilder(renamed: renamed, diagnostics: diagnostics)
                let root = builder.build(node, path: .root, fallback: .start)
                diagnostics = builder.diagnostics
                return root
            } catch YamlError.duplicatedKeysInMapping(let keys, let context) {
                let first = ConfigMark(line: context.mark.line, column: context.mark.column)
                let key = keys.first ?? ""
                guard renamed.count < 100,
                    let rewrite = DuplicateKeyLocator.renameSecond(
                        key: key,
                        first: first,
                        in: source,
                        salt: renamed.count
                    )
                else {
                    diagnostics.error("duplicate key \"\(key)\"", at: first, path: .root)
                    return nil
                }
                source = rewrite.source
                renamed[rewrite.mark] = DuplicateKey(key: key, first: first)
            } catch let error as YamlError {
                report(error, text: source, into: &diagnostics)
                return nil
            } catch {
                diagnostics.error("cannot parse YAML: \(error)", at: .start, path: .root)
                return nil
            }
        }
    }

    private static func report(_ error: YamlError, text: String, into diagnostics: inout Diagnostics) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) at \(context.mark.line):\(context.mark.column))"
            }
            diagnostics.error(message, at: ConfigMark(line: mark.line, column: mark.column), path: .root)
        case .reader(let problem, let offset, _, _):
            diagnostics.error(
                "cannot read YAML: \(problem)",
                at: mark(ofOffset: offset ?? 0, in: text),
                path: .root
            )
        default:
            diagnostics.error("cannot parse YAML: \(error)", at: .start, path: .root)
        }
    }

    private static func mark(ofOffset offset: Int, in text: String) -> ConfigMark {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return ConfigMark(line: line, column: column)
    }
}

/// A key that appeared twice in one mapping.
struct DuplicateKey: Hashable {
    var key: String
    var first: ConfigMark
}
