extension ConfigScalar {
    /// A scalar's value under the YAML 1.2 core schema.
    public enum Resolved: Sendable, Hashable {
        case string(String)
        case bool(Bool)
        case int(Int)
        case float(Double)
    }

    /// The scalar's typed value: plain untagged scalars follow the YAML 1.2 core schema
    /// (`true`/`false`, decimal/`0o`/`0x` integers, floats, `.inf`, `.nan`); quoted and block
    /// scalars are strings; `!!str`, `!!int`, `!!float` and `!!bool` tags are honoured.
    public var resolved: Resolved {
        switch tag {
        case Self.strTag, "!": return .string(text)
        case Self.intTag: return Self.integer(text).map { .int($0) } ?? .string(text)
        case Self.floatTag: return Self.float(text).map { .float($0) } ?? .string(text)
        case Self.boolTag: return Self.bool(text).map { .bool($0) } ?? .string(text)
        default: break
        }
        guard style == .plain, tag == nil else { return .string(text) }
        if let value = Self.bool(text) { return .bool(value) }
        if let value = Self.integer(text) { return .int(value) }
        if let value = Self.float(text) { return .float(value) }
        return .string(text)
    }

    /// Whether plain `text` is a YAML 1.2 core-schema null (`null`, `Null`, `NULL`, `~`, empty).
    public static func isNull(_ text: String) -> Bool {
        ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// YAML 1.1 booleans Kong's parser also accepts; used only where a boolean is expected.
    static func yaml11Bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "on", "y": return true
        case "no", "off", "n": return false
        default: return nil
        }
    }

    static let strTag = "tag:yaml.org,2002:str"
    static let intTag = "tag:yaml.org,2002:int"
    static let floatTag = "tag:yaml.org,2002:float"
    static let boolTag = "tag:yaml.org,2002:bool"
    static let nullTag = "tag:yaml.org,2002:null"

    private static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    private static func integer(_ text: String) -> Int? {
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        var digits = Substring(text)
        if let sign = digits.first, sign == "-" || sign == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    private static func float(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        let allowed = Set("0123456789+-.eE")
        guard text.contains(where: \.isNumber), text.allSatisfy({ allowed.contains($0) }) else { return nil }
        return Double(text)
    }
}
