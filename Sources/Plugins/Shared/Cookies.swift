import NIOHTTP1

/// Reads a cookie from `Cookie` request headers as nginx's `$cookie_NAME` does: the first cookie
/// with that exact name, its value as sent.
enum Cookies {
    /// The value of the first cookie called `name`, if any.
    static func value(named name: String, in headers: HTTPHeaders) -> String? {
        for header in headers["cookie"] {
            for item in header.split(separator: ";") {
                let trimmed = item.drop { $0 == " " || $0 == "\t" }
                guard let equals = trimmed.firstIndex(of: "="), trimmed[trimmed.startIndex..<equals] == name else {
                    continue
                }
                var value = trimmed[trimmed.index(after: equals)...]
                while value.last == " " || value.last == "\t" { value = value.dropLast() }
                return String(value)
            }
        }
        return nil
    }
}
