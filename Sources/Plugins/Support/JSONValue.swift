/// A JSON document as the transformer plugins edit it: objects keep their members' order and
/// numbers keep their text, so a body passes through unchanged except where a plugin edits it.
public enum JSONValue: Sendable, Hashable {
    /// `null`
    case null
    /// `true` / `false`
    case bool(Bool)
    /// A number, as written (e.g. `12.50` stays `12.50`).
    case number(String)
    /// A string (unescaped).
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in document order.
    case object(JSONObject)

    /// Lua's truthiness of the value Kong's cjson would give: only a missing member and `false`
    /// are false (`null` decodes to a truthy sentinel). Kong's "only if present" checks use it.
    public var isTruthy: Bool {
        if case .bool(false) = self { return false }
        return true
    }
}

/// A JSON object's members in order, names unique (a repeated name in a document keeps its first
/// position and its last value, as a decoder building a table would).
public struct JSONObject: Sendable, Hashable {
    /// The members, in order.
    public private(set) var members: [(name: String, value: JSONValue)] = []

    /// An empty object.
    public init() {}

    /// An object with these members (later duplicates replace earlier values).
    public init(_ members: [(name: String, value: JSONValue)]) {
        for member in members { self[member.name] = member.value }
    }

    /// The value of member `name`; setting nil removes it, setting a new name appends it.
    public subscript(name: String) -> JSONValue? {
        get { members.first { $0.name == name }?.value }
        set {
            let index = members.firstIndex { $0.name == name }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append((name, value))
            case (nil, nil): break
            }
        }
    }

    /// Renames member `old` to `new` where `old` stands (an existing `new` member is dropped).
    public mutating func rename(_ old: String, to new: String) {
        guard old != new, let index = members.firstIndex(where: { $0.name == old }) else { return }
        members[index].name = new
        if let duplicate = members.indices.first(where: { $0 != index && members[$0].name == new }) {
            members.remove(at: duplicate)
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for member in members {
            hasher.combine(member.name)
            hasher.combine(member.value)
        }
    }
}
