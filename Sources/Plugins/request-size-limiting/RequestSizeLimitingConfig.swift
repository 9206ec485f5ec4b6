import Gateway

/// Kong's `request-size-limiting` configuration.
public struct RequestSizeLimitingConfig: PluginConfiguration, Equatable {
    /// The unit of ``allowedPayloadSize``.
    public enum SizeUnit: String, ConfigEnum {
        /// 2^20 bytes (Kong's default).
        case megabytes
        /// 2^10 bytes.
        case kilobytes
        /// Bytes.
        case bytes

        /// Bytes per unit.
        public var bytesPerUnit: Int {
            switch self {
            case .megabytes: return 1_048_576
            case .kilobytes: return 1024
            case .bytes: return 1
            }
        }
    }

    /// The largest body allowed, in ``sizeUnit`` (default 128).
    public var allowedPayloadSize = 128
    /// The unit of `allowed_payload_size` (default `megabytes`).
    public var sizeUnit = SizeUnit.megabytes
    /// Whether a request without a valid `Content-Length` (and not chunked) is refused with 411.
    public var requireContentLength = false

    enum CodingKeys: String, CodingKey {
        case allowedPayloadSize = "allowed_payload_size"
        case sizeUnit = "size_unit"
        case requireContentLength = "require_content_length"
    }

    /// Kong's defaults.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allowedPayloadSize = try container.value(.allowedPayloadSize, or: allowedPayloadSize)
        sizeUnit = try container.value(.sizeUnit, or: sizeUnit)
        requireContentLength = try container.value(.requireContentLength, or: requireContentLength)
    }

    /// The limit in bytes (saturating, so a huge size means "no practical limit").
    public var allowedBytes: Int {
        let (product, overflow) = allowedPayloadSize.multipliedReportingOverflow(by: sizeUnit.bytesPerUnit)
        return overflow ? Int.max : product
    }

    public func validate(_ validator: inout PluginConfigValidator) {
        if allowedPayloadSize < 0 {
            validator.error("value must be greater than or equal to 0", field: "allowed_payload_size")
        }
    }
}
