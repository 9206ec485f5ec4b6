/// Finds entities by the names and ids a flat-form reference may use, and reports the ones
/// that lead nowhere with a "did you mean".
struct ReferenceIndex {
    /// What the entity is called in messages: `service`, `route`, `upstream`, `consumer`.
    let kind: String
    private var indices: [String: Int] = [:]
    private var names: [String] = []

    /// Indexes `entities` by every identifier `identifiers` gives (first wins).
    init<Entity>(kind: String, _ entities: [Entity], identifiers: (Entity) -> [String?]) {
        self.kind = kind
        for (index, entity) in entities.enumerated() {
            for (position, identifier) in identifiers(entity).enumerated() {
                guard let identifier, indices[identifier] == nil else { continue }
                indices[identifier] = index
                if position == 0 { names.append(identifier) }
            }
        }
    }

    /// The index `reference` names, or `nil` after reporting it.
    func resolve(
        _ reference: EntityReference,
        document: ConfigDocument,
        into diagnostics: inout Diagnostics
    )
        -> Int?
    {
        if let index = indices[reference.value] { return index }
        var message = "unknown \(kind) \(ConfigScalar(reference.value).quotedForMessage)"
        if let suggestion = Suggestion.closest(to: reference.value, among: names) {
            message += "; did you mean \"\(suggestion)\"?"
        }
        diagnostics.error(message, at: document.mark(at: reference.location), path: reference.location)
        return nil
    }
}
