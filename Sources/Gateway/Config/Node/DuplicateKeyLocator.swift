/// Finds the second occurrence of a duplicated mapping key in YAML text and renames it, so
/// that parsing can go on past libyaml's stop at the first duplicate.
///
/// Handles block mappings (the repeat sits at the same column, with no shallower line in
/// between) and single-line flow mappings (`{a: 1, a: 2}`); anything else is left alone and
/// the duplicate is reported without going further.
enum DuplicateKeyLocator {
    /// The rewritten text and the mark of the renamed key, or `nil` when not found.
    static func renameSecond(
        key: String,
        first: ConfigMark,
        in source: String,
        salt: Int
    )
        -> (source: String, mark: ConfigMark)?
    {
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map {
            Array(String($0).unicodeScalars)
        }
        let firstLine = first.line - 1
        let column = first.column - 1
        guard lines.indices.contains(firstLine), !key.isEmpty else { return nil }
        let forms = [key, "\"\(key)\"", "'\(key)'"].map { Array($0.unicodeScalars) }
        let replacement = Unicode.Scalar(0xE000 + UInt32(salt % 0x1000)) ?? "\u{E000}"

        // Same line (flow mapping): a later `, key:` after the first occurrence, when the first
        // occurrence itself follows `{` or `,`.
        let before = lines[firstLine].prefix(column).last { $0 != " " }
        if before == "{" || before == ",", let start = findFlowKey(forms, in: lines[firstLine], after: column) {
            rename(&lines[firstLine], at: start.index, length: start.length, with: replacement)
            return (join(lines), ConfigMark(line: first.line, column: start.index + 1))
        }
        // Later lines (block mapping): the same column, only spaces before it.
        for lineIndex in (firstLine + 1)..<lines.count {
            let line = lines[lineIndex]
            let indent = line.prefix { $0 == " " }.count
            if indent == line.count || line[indent] == "#" { continue }
            if indent < column { return nil }
            guard indent == column, let length = keyLength(forms, in: line, at: column) else { continue }
            rename(&lines[lineIndex], at: column, length: length, with: replacement)
            return (join(lines), ConfigMark(line: lineIndex + 1, column: first.column))
        }
        return nil
    }

    private static func findFlowKey(
        _ forms: [[Unicode.Scalar]],
        in line: [Unicode.Scalar],
        after column: Int
    )
        -> (index: Int, length: Int)?
    {
        var index = column + 1
        while index < line.count {
            if line[index] == "," || line[index] == "{" {
                var start = index + 1
                while start < line.count, line[start] == " " { start += 1 }
                if let length = keyLength(forms, in: line, at: start) { return (start, length) }
            }
            index += 1
        }
        return nil
    }

    /// The length of the key form written at `start`, when one is followed by `:`.
    private static func keyLength(_ forms: [[Unicode.Scalar]], in line: [Unicode.Scalar], at start: Int) -> Int? {
        for form in forms where start + form.count <= line.count {
            guard Array(line[start..<(start + form.count)]) == form else { continue }
            var after = start + form.count
            while after < line.count, line[after] == " " { after += 1 }
            if after < line.count, line[after] == ":" { return form.count }
        }
        return nil
    }

    private static func rename(
        _ line: inout [Unicode.Scalar],
        at start: Int,
        length: Int,
        with scalar: Unicode.Scalar
    ) {
        let quoted = line[start] == "\"" || line[start] == "'"
        let range = quoted ? (start + 1)..<(start + length - 1) : start..<(start + length)
        for index in range { line[index] = scalar }
    }

    private static func join(_ lines: [[Unicode.Scalar]]) -> String {
        lines.map { line in
            var text = String.UnicodeScalarView()
            text.append(contentsOf: line)
            return String(text)
        }.joined(separator: "\n")
    }
}
