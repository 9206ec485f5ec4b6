/// A JSON object's members in order, names unique (a repeated name in a document keeps its first
/// position and its last value, as a decoder building a table would).
///
/// Small objects (a token's claims) are searched in place; larger ones (a request body) also keep
/// each name's position, so that parsing and editing them stays linear.
public struct JSONObject: Sendable {
    /// The members, in order.
    public private(set) var members: [(name: String, value: JSONValue)] = []
    /// Each member's index in ``members``, once there are more than ``indexThreshold`` of them.
    private var positions: [String: Int]?

    /// Above this many members, names are looked up by hashing rather than by a search.
    static let indexThreshold = 8

    /// An empty object.
    public init() {}

    /// An object with these members (later duplicates replace earlier values).
    public init(_ members: [(name: String, value: JSONValue)]) {
        for member in members { self[member.name] = member.value }
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no member.
    public var isEmpty: Bool { members.isEmpty }

    /// The value of member `name`; setting nil removes it, setting a new name appends it.
    public subscript(name: String) -> JSONValue? {
        get { position(of: name).map { members[$0].value } }
        set {
            switch (position(of: name), newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): remove(at: index)
            case (nil, let value?): append(name, value)
            case (nil, nil): break
            }
        }
    }

    /// Renames member `old` to `new` where `old` stands (an existing `new` member is dropped).
    public mutating func rename(_ old: String, to new: String) {
        guard old != new, var index = position(of: old) else { return }
        if let duplicate = position(of: new) {
            remove(at: duplicate)
            if duplicate < index { index -= 1 }
        }
        members[index].name = new
        positions?[old] = nil
        positions?[new] = index
    }

    private func position(of name: String) -> Int? {
        if let positions { return positions[name] }
        return members.firstIndex { $0.name == name }
    }

    private mutating func append(_ name: String, _ value: JSONValue) {
        members.append((name, value))
        if positions != nil {
            positions?[name] = members.count - 1
        } else if members.count > Self.indexThreshold {
            var built: [String: Int] = [:]
            built.reserveCapacity(members.count * 2)
            for (index, member) in members.enumerated() { built[member.name] = index }
            positions = built
        }
    }

    private mutating func remove(at index: Int) {
        let name = members.remove(at: index).name
        guard positions != nil else { return }
        positions?[name] = nil
        for later in index..<members.count { positions?[members[later].name] = later }
    }
}

extension JSONObject: Hashable {
    /// Objects are equal when they have the same members in the same order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.name)
            hasher.combine(member.value)
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object with these members, in the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        for (name, value) in elements { self[name] = value }
    }
}
