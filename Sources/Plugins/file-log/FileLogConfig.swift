import Gateway

/// Kong's `file-log` configuration.
public struct FileLogConfig: PluginConfiguration, Equatable {
    /// The file each request's entry is appended to (required).
    public var path: String?
    /// Open and close the file for every entry, so that a rotated file is followed (default false).
    public var reopen = false
    /// Kong's Lua snippets adding fields: only an empty map is accepted (Pasarela runs no Lua).
    public var customFieldsByLua: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case path, reopen
        case customFieldsByLua = "custom_fields_by_lua"
    }

    /// Kong's defaults (no path yet).
    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.optional(.path)
        reopen = try container.value(.reopen, or: reopen)
        customFieldsByLua = try container.value(.customFieldsByLua, or: [:])
    }

    public func validate(_ validator: inout PluginConfigValidator) {
        if let path {
            // Kong's check: `^[^*&%\`]+$`.
            if path.isEmpty || path.contains(where: { "*&%`".contains($0) }) {
                validator.error("not a valid filename", field: "path")
            }
        } else {
            validator.error("required field missing", field: "path")
        }
        LuaFields.reject(customFieldsByLua, in: &validator)
    }
}

/// Kong's `custom_fields_by_lua`, which Pasarela cannot run.
enum LuaFields {
    /// Reports a non-empty map as an error (an empty one is what Kong's own exports contain).
    static func reject(_ fields: [String: String], in validator: inout PluginConfigValidator) {
        guard !fields.isEmpty else { return }
        validator.error(
            "custom_fields_by_lua is not supported: Pasarela runs no Lua (remove it, or leave it empty)",
            field: "custom_fields_by_lua"
        )
    }
}
