/// The parts of an absolute-form request target (`GET http://host:port/path HTTP/1.1`, RFC 9112
/// §3.2.2) that routing needs.
public struct AbsoluteFormTarget: Sendable, Hashable {
    /// The host as written (not lower-cased), without userinfo or port; IPv6 keeps its brackets.
    public var host: Substring
    /// The port, when the authority names one.
    public var port: Int?
    /// The path: everything after the authority, or "/" when there is none. Not yet normalised.
    public var path: Substring
}

extension PathNormalizer {
    /// Splits an `http://` or `https://` absolute-form target (without its query) into host, port
    /// and path, or nil when `target` is not in that form (or its port is not a number).
    public static func splitAbsoluteForm(_ target: Substring) -> AbsoluteFormTarget? {
        let utf8 = target.utf8
        guard let schemeEnd = schemeEnd(utf8) else { return nil }
        let authorityStart = schemeEnd
        let authorityEnd = utf8[authorityStart...].firstIndex(of: ASCII.slash) ?? utf8.endIndex
        var hostStart = authorityStart
        if let at = utf8[authorityStart..<authorityEnd].lastIndex(of: 0x40) {  // "@": userinfo
            hostStart = utf8.index(after: at)
        }
        var hostEnd = authorityEnd
        var port: Int?
        let searchFrom: Substring.UTF8View.Index
        if hostStart < authorityEnd && utf8[hostStart] == 0x5B {  // "[": IPv6 literal
            guard let close = utf8[hostStart..<authorityEnd].firstIndex(of: 0x5D) else { return nil }
            searchFrom = utf8.index(after: close)
        } else {
            searchFrom = hostStart
        }
        if let colon = utf8[searchFrom..<authorityEnd].firstIndex(of: ASCII.colon) {
            hostEnd = colon
            let digits = target[utf8.index(after: colon)..<authorityEnd]
            if !digits.isEmpty {
                guard let value = Int(digits), (0...65535).contains(value) else { return nil }
                port = value
            }
        }
        guard hostStart < hostEnd else { return nil }
        let path = authorityEnd == utf8.endIndex ? Substring("/") : target[authorityEnd...]
        return AbsoluteFormTarget(host: target[hostStart..<hostEnd], port: port, path: path)
    }

    /// The index just after `http://` or `https://` (any case), or nil.
    private static func schemeEnd(_ utf8: Substring.UTF8View) -> Substring.UTF8View.Index? {
        for scheme in ["http://", "https://"] {
            let length = scheme.utf8.count
            guard utf8.count >= length else { continue }
            let end = utf8.index(utf8.startIndex, offsetBy: length)
            if utf8[..<end].elementsEqual(scheme.utf8, by: { ASCII.lower($0) == $1 }) {
                return end
            }
        }
        return nil
    }
}
