import Gateway

/// Kong's `response-transformer` configuration: what to remove, rename, replace, add and append in
/// the response headers and in a JSON response body.
public struct ResponseTransformerConfig: PluginConfiguration, Equatable {
    /// The JSON type given to a value (Kong's `json_types`; default string).
    public enum JSONType: String, ConfigEnum {
        case boolean, number, string
    }

    /// `remove`: names only.
    public struct Removals: Decodable, Sendable, Equatable {
        /// Top-level JSON members to remove.
        public var json: [String] = []
        /// Headers to remove.
        public var headers: [String] = []

        enum CodingKeys: String, CodingKey { case json, headers }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            json = try container.value(.json, or: [])
            headers = try container.value(.headers, or: [])
        }
    }

    /// `rename`: `old:new` pairs.
    public struct Renames: Decodable, Sendable, Equatable {
        /// JSON members to rename.
        public var json: [ColonPair] = []
        /// Headers to rename.
        public var headers: [HeaderRename] = []

        enum CodingKeys: String, CodingKey { case json, headers }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            json = try container.value(.json, or: [])
            headers = try container.value(.headers, or: [])
        }
    }

    /// `replace`, `add`, `append`: `name:value` pairs, with the type of each JSON value.
    public struct Assignments: Decodable, Sendable, Equatable {
        /// JSON members.
        public var json: [ColonPair] = []
        /// The type of the JSON value at the same index (string when absent).
        public var jsonTypes: [JSONType] = []
        /// Headers.
        public var headers: [ColonPair] = []

        enum CodingKeys: String, CodingKey {
            case json, headers
            case jsonTypes = "json_types"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            json = try container.value(.json, or: [])
            jsonTypes = try container.value(.jsonTypes, or: [])
            headers = try container.value(.headers, or: [])
        }

        /// The type of the JSON entry at `index`.
        func type(at index: Int) -> JSONType {
            jsonTypes.indices.contains(index) ? jsonTypes[index] : .string
        }
    }

    /// Removed first.
    public var remove = Removals()
    /// Then renamed.
    public var rename = Renames()
    /// Then replaced (only where present).
    public var replace = Assignments()
    /// Then added (only where absent).
    public var add = Assignments()
    /// Then appended.
    public var append = Assignments()

    enum CodingKeys: String, CodingKey {
        case remove, rename, replace, add, append
    }

    /// Nothing to do.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        remove = try container.value(.remove, or: remove)
        rename = try container.value(.rename, or: rename)
        replace = try container.value(.replace, or: replace)
        add = try container.value(.add, or: add)
        append = try container.value(.append, or: append)
    }

    /// Whether any JSON body edit is configured (Kong's `is_body_transform_set`).
    public var editsJSON: Bool {
        !(remove.json.isEmpty && rename.json.isEmpty && replace.json.isEmpty && add.json.isEmpty && append.json.isEmpty)
    }
}
