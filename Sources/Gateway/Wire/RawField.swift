/// One header (or trailer) field of a head parsed in place: where its name and value sit in the
/// head's bytes, so no String is made unless someone asks for it.
///
/// Offsets are 0-based in the owning head's `bytes` (a slice holding exactly that head). The value
/// excludes leading and trailing whitespace (OWS) and may be empty.
struct RawField: Hashable, Sendable {
    /// The field name's bytes (a non-empty token).
    var name: Range<Int>
    /// The field value's bytes, without surrounding OWS.
    var value: Range<Int>
}
