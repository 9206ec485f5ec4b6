/// One problem found in a configuration file, at a line, column and path.
///
/// Printed as `FILE:LINE:COLUMN: PATH: message`, or with `warning: ` before the message.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// How serious a problem is: errors fail the load, warnings do not.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// The file name as given to the loader.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// Where in the document the problem is.
    public var path: ConfigPath
    /// What is wrong, in one line.
    public var message: String
    /// Error or warning.
    public var severity: Severity

    /// Creates a problem report.
    public init(
        file: String,
        line: Int,
        column: Int,
        path: ConfigPath,
        message: String,
        severity: Severity = .error
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
        self.severity = severity
    }

    /// Creates a problem report at `mark`.
    public init(
        file: String,
        mark: ConfigMark,
        path: ConfigPath,
        message: String,
        severity: Severity = .error
    ) {
        self.init(
            file: file,
            line: mark.line,
            column: mark.column,
            path: path,
            message: message,
            severity: severity
        )
    }

    /// The problem's position.
    public var mark: ConfigMark { ConfigMark(line: line, column: column) }

    /// `FILE:LINE:COLUMN: PATH: message` (warnings: `... PATH: warning: message`).
    public var description: String {
        let prefix = "\(file):\(line):\(column): \(path): "
        return severity == .warning ? prefix + "warning: " + message : prefix + message
    }
}
