/// A position in a configuration file, 1-based as editors show it.
public struct ConfigMark: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Line number, starting at 1.
    public var line: Int
    /// Column number, starting at 1 (counted in Unicode scalars, as libyaml does).
    public var column: Int

    /// Creates a mark at `line` and `column` (both 1-based).
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The first character of a file.
    public static let start = ConfigMark(line: 1, column: 1)

    public static func < (lhs: ConfigMark, rhs: ConfigMark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `LINE:COLUMN`.
    public var description: String { "\(line):\(column)" }
}
