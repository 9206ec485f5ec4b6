import Gateway

/// Kong's `correlation-id` configuration.
public struct CorrelationIDConfig: PluginConfiguration, Equatable {
    /// How ids are generated.
    public enum Generator: String, ConfigEnum {
        /// A random UUID per request.
        case uuid
        /// A per-process UUID and a counter: `<uuid>#<n>` (Kong's default).
        case uuidCounter = "uuid#counter"
        /// Request-tracking fields: `<client ip>-<client port>-<pid>-<request number>-<time in ms>`.
        case tracker
    }

    /// The header carrying the id (default `Kong-Request-ID`).
    public var headerName: String = "Kong-Request-ID"
    /// How a new id is made (default `uuid#counter`).
    public var generator: Generator = .uuidCounter
    /// Whether the id is also sent back to the client.
    public var echoDownstream: Bool = false

    enum CodingKeys: String, CodingKey {
        case headerName = "header_name"
        case generator
        case echoDownstream = "echo_downstream"
    }

    /// Kong's defaults.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        headerName = try container.value(.headerName, or: headerName)
        generator = try container.value(.generator, or: generator)
        echoDownstream = try container.value(.echoDownstream, or: echoDownstream)
    }

    public func validate(_ validator: inout PluginConfigValidator) {
        if !HeaderName.isValid(headerName) {
            validator.error("invalid header name \"\(headerName)\"", field: "header_name")
        }
    }
}
