/// The body formats plugins read and edit, from a `Content-Type`. Kong reads the header two ways,
/// kept apart here: the request-transformer searches it, the PDK's `kong.request.get_body` (used
/// by key-auth's `key_in_body`) matches its start.
public enum BodyKind: Sendable, Equatable {
    /// `application/json`.
    case json
    /// `application/x-www-form-urlencoded`.
    case form
    /// `multipart/form-data`.
    case multipart

    /// The request-transformer's reading of a `Content-Type`, as Kong's: a case-insensitive search.
    public init?(requestContentType: String?) {
        guard let type = requestContentType?.lowercased() else { return nil }
        if type.contains("application/json") {
            self = .json
        } else if type.contains("multipart/form-data") {
            self = .multipart
        } else if type.contains("application/x-www-form-urlencoded") {
            self = .form
        } else {
            return nil
        }
    }

    /// `kong.request.get_body`'s reading of a `Content-Type`: the media type (before any `;`),
    /// lowercased, starts with the format's type; checked in Kong's order (form, JSON, multipart).
    public init?(bodyContentType: String?) {
        guard let contentType = bodyContentType else { return nil }
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            self = .form
        } else if type.hasPrefix("application/json") {
            self = .json
        } else if type.hasPrefix("multipart/form-data") {
            self = .multipart
        } else {
            return nil
        }
    }

    /// Whether a response `Content-Type` is JSON as Kong's response-transformer reads it: one of its
    /// comma-separated types is `application/json` or `application/<anything>+json`.
    public static func isJSONResponse(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        for candidate in contentType.split(separator: ",") {
            let mediaType = candidate.split(separator: ";", maxSplits: 1).first?.trimmingSpaces ?? ""
            let parts = mediaType.lowercased().split(separator: "/", maxSplits: 1)
            guard parts.count == 2, parts[0] == "application" else { continue }
            if parts[1] == "json" || parts[1].hasSuffix("+json") { return true }
        }
        return false
    }
}
