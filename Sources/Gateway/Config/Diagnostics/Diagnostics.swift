/// Collects every ``ConfigError`` found while loading one file, errors and warnings alike.
///
/// A value type: pass it `inout` to whatever checks the configuration. ``sorted`` and
/// ``description`` give file order (line, then column, then the order of reporting).
public struct Diagnostics: Sendable, Hashable, CustomStringConvertible {
    /// The file name put on every report.
    public var file: String
    /// The parsed file, when known: lets the path-only `error(_:at:)` find a path's mark.
    public var document: ConfigDocument?
    /// Every report, in the order it was made.
    public private(set) var all: [ConfigError] = []

    /// Creates an empty collector for `file`.
    public init(file: String) {
        self.file = file
    }

    /// Creates an empty collector for `document`, which names the file and resolves paths.
    public init(document: ConfigDocument) {
        self.file = document.file
        self.document = document
    }

    /// Records an error at `mark`.
    public mutating func error(_ message: String, at mark: ConfigMark, path: ConfigPath) {
        append(ConfigError(file: file, mark: mark, path: path, message: message))
    }

    /// Records a warning at `mark`.
    public mutating func warning(_ message: String, at mark: ConfigMark, path: ConfigPath) {
        append(ConfigError(file: file, mark: mark, path: path, message: message, severity: .warning))
    }

    /// Records an error at the node `path` leads to (its parent's when it is missing), as
    /// found in ``document``; plugins use this from their config's `validate`.
    public mutating func error(_ message: String, at path: ConfigPath) {
        error(message, at: document?.mark(at: path) ?? .start, path: path)
    }

    /// Records a warning at the node `path` leads to, as found in ``document``.
    public mutating func warning(_ message: String, at path: ConfigPath) {
        warning(message, at: document?.mark(at: path) ?? .start, path: path)
    }

    /// Records one report as it is.
    public mutating func append(_ report: ConfigError) {
        all.append(report)
    }

    /// Records the reports of another collector.
    public mutating func append(contentsOf other: Diagnostics) {
        all.append(contentsOf: other.all)
    }

    /// A copy without the reports made after the first `count` whose path is in `paths`.
    public func removing(at paths: Set<ConfigPath>, after count: Int) -> Diagnostics {
        var copy = self
        copy.all = Array(all.prefix(count)) + all.dropFirst(count).filter { !paths.contains($0.path) }
        return copy
    }

    /// Only the errors.
    public var errors: [ConfigError] { all.filter { $0.severity == .error } }
    /// Only the warnings.
    public var warnings: [ConfigError] { all.filter { $0.severity == .warning } }
    /// Whether any error (not warning) was recorded.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    /// Whether nothing at all was recorded.
    public var isEmpty: Bool { all.isEmpty }

    /// Every report in file order; reports at the same position keep their reporting order.
    public var sorted: [ConfigError] {
        all.enumerated()
            .sorted { ($0.element.mark, $0.offset) < ($1.element.mark, $1.offset) }
            .map(\.element)
    }

    /// One report per line, in file order.
    public var description: String {
        sorted.map(\.description).joined(separator: "\n")
    }
}
