import NIOHTTP1

extension HTTPMethod {
    /// The methods the gateway accepts, by length, as spelt on the wire (upper case): exactly those
    /// NIO's `HTTPMethod` has a case for (`M-SEARCH` is `.MSEARCH`, as llhttp spells it), most used
    /// first.
    private static let wireMethods: [[(StaticString, HTTPMethod)]] = [
        [], [], [],
        [("GET", .GET), ("PUT", .PUT), ("ACL", .ACL)],
        [
            ("POST", .POST), ("HEAD", .HEAD), ("COPY", .COPY), ("LOCK", .LOCK), ("MOVE", .MOVE),
            ("BIND", .BIND), ("LINK", .LINK),
        ],
        [("PATCH", .PATCH), ("TRACE", .TRACE), ("MKCOL", .MKCOL), ("MERGE", .MERGE), ("PURGE", .PURGE)],
        [
            ("DELETE", .DELETE), ("NOTIFY", .NOTIFY), ("SEARCH", .SEARCH), ("UNLOCK", .UNLOCK),
            ("REBIND", .REBIND), ("UNBIND", .UNBIND), ("REPORT", .REPORT), ("UNLINK", .UNLINK),
            ("SOURCE", .SOURCE),
        ],
        [("OPTIONS", .OPTIONS), ("CONNECT", .CONNECT)],
        [("M-SEARCH", .MSEARCH), ("PROPFIND", .PROPFIND), ("CHECKOUT", .CHECKOUT)],
        [("PROPPATCH", .PROPPATCH), ("SUBSCRIBE", .SUBSCRIBE)],
        [("MKCALENDAR", .MKCALENDAR), ("MKACTIVITY", .MKACTIVITY)],
        [("UNSUBSCRIBE", .UNSUBSCRIBE)],
    ]

    /// The method spelt by `bytes[range]` (case-sensitive), or nil for any other token; no String
    /// is made.
    static func fromWire(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> HTTPMethod? {
        guard range.count < wireMethods.count else { return nil }
        for (spelling, method) in wireMethods[range.count] where WireText.equals(bytes, range, spelling) {
            return method
        }
        return nil
    }
}
