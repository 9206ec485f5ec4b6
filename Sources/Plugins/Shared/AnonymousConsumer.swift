import Gateway

/// Kong's `anonymous` setting of the authentication plugins: a consumer (named by id or username)
/// that requests which fail to authenticate run as, instead of being refused ("logical OR").
struct AnonymousConsumer: Sendable {
    /// As configured, for the error message.
    let reference: String
    /// The consumer, when one with that id or username exists.
    let consumer: Consumer?

    /// Looks `reference` up among the compiled consumers (id first, then username, as Kong's
    /// `load_consumer(…, true)`); logs when it names no consumer, since every request that falls
    /// back to it will then get a 500, as in Kong.
    init?(_ reference: String?, plugin: String, context: PluginBuildContext) {
        guard let reference, !reference.isEmpty else { return nil }
        self.reference = reference
        consumer =
            context.consumers.first { $0.id == reference }
            ?? context.consumers.first { $0.username == reference }
        if consumer == nil {
            context.logger.warning(
                "anonymous consumer is configured but doesn't exist",
                metadata: ["plugin": "\(plugin)", "anonymous": "\(reference)"]
            )
        }
    }

    /// Runs the request as the anonymous consumer, or Kong's 500 when it does not exist.
    func apply(to context: RequestContext) -> AccessStep {
        guard let consumer else {
            return .respond(
                .message(.internalServerError, "anonymous consumer \(reference) is configured but doesn't exist")
            )
        }
        context.authenticate(consumer: consumer, credentialIdentifier: nil, anonymous: true)
        return .proceed
    }
}

extension RequestContext {
    /// Whether an earlier authentication plugin already identified the client with a credential
    /// (not as the anonymous consumer): Kong's `kong.client.get_credential()`.
    var hasCredential: Bool { consumer != nil && !isAnonymous && credentialIdentifier != nil }
}
