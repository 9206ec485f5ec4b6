import Gateway
import Plugins

/// A stand-in authentication plugin for tests of plugins that depend on the consumer: the header
/// `X-Test-Consumer: <username>` authenticates that configured consumer (with the credential id
/// `cred-<username>`); `X-Test-Anonymous: <username>` sets it as the anonymous consumer.
struct TestAuthPlugin: ConfigurablePlugin {
    struct Config: PluginConfiguration {
        init(from decoder: any Decoder) throws {}
    }

    static let name = "test-auth"
    static let priority = 1450

    let consumers: [String: Consumer]

    init(configuration: Config, context: PluginBuildContext) {
        var byName: [String: Consumer] = [:]
        for consumer in context.consumers { if let username = consumer.username { byName[username] = consumer } }
        consumers = byName
    }

    func access(_ context: RequestContext) -> AccessStep {
        if let name = context.requestHeaders.first(name: "x-test-consumer"), let consumer = consumers[name] {
            context.authenticate(consumer: consumer, credentialIdentifier: "cred-\(name)")
        } else if let name = context.requestHeaders.first(name: "x-test-anonymous"), let consumer = consumers[name] {
            context.authenticate(consumer: consumer, credentialIdentifier: nil, anonymous: true)
        }
        return .proceed
    }
}

/// The built-in plugins plus the test ones.
let testRegistry = PluginRegistry(BuiltinPlugins.descriptors + [.of(TestAuthPlugin.self)])
