import Gateway
import NIOCore
import NIOHTTP1

/// `{"value": "..."}`: what the test plugins are configured with.
struct ValueConfig: PluginConfiguration {
    var value: String = "default"
    var delayMilliseconds: Int = 0

    enum CodingKeys: String, CodingKey {
        case value
        case delayMilliseconds = "delay_ms"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decodeIfPresent(String.self, forKey: .value) ?? value
        delayMilliseconds = try container.decodeIfPresent(Int.self, forKey: .delayMilliseconds) ?? 0
    }

    func validate(_ validator: inout PluginConfigValidator) {
        if value == "forbidden" { validator.error("must not be \"forbidden\"", field: "value") }
    }
}

/// Appends its value to `X-Trail` upstream and to the response, so tests see the order plugins ran in.
struct TrailPlugin: ConfigurablePlugin {
    static let name = "trail"
    static let priority = 900
    let value: String

    init(configuration: ValueConfig, context: PluginBuildContext) { value = configuration.value }

    func access(_ context: RequestContext) -> AccessStep {
        let existing = context.requestHeaders.first(name: "x-trail")
        context.requestHeaders.replaceOrAdd(name: "x-trail", value: existing.map { $0 + "," + value } ?? value)
        return .proceed
    }

    func response(_ context: RequestContext, head: inout HTTPResponseHead) {
        head.headers.add(name: "x-trail-response", value: value)
    }
}

/// Waits `delay_ms` on the event loop (as an I/O-bound plugin would), then denies requests that
/// carry `X-Deny` with 403, or identifies the consumer named by `X-Consumer`.
struct GatePlugin: ConfigurablePlugin {
    static let name = "gate"
    static let priority = 1000
    let config: ValueConfig
    let consumers: [Consumer]

    init(configuration: ValueConfig, context: PluginBuildContext) {
        config = configuration
        consumers = context.consumers
    }

    func access(_ context: RequestContext) -> AccessStep {
        if let name = context.requestHeaders.first(name: "x-consumer"),
            let consumer = consumers.first(where: { $0.username == name })
        {
            context.authenticate(consumer: consumer, credentialIdentifier: "test-\(name)")
        }
        let deny = context.requestHeaders.contains(name: "x-deny")
        guard config.delayMilliseconds > 0 else {
            return deny ? .respond(.message(.forbidden, "denied by \(config.value)")) : .proceed
        }
        let message = "denied by \(config.value)"
        let future = context.eventLoop.scheduleTask(in: .milliseconds(Int64(config.delayMilliseconds))) {
            deny ? AccessDecision.respond(.message(.forbidden, message)) : .proceed
        }.futureResult
        return .wait(future)
    }
}

enum TestPlugins {
    static let registry = PluginRegistry([.of(TrailPlugin.self), .of(GatePlugin.self)])
}
