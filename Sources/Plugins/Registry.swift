import Gateway

/// The built-in plugins. Adding a plugin is one folder and one line here.
public enum BuiltinPlugins {
    /// Every built-in plugin's descriptor (tests add their own to these).
    public static let descriptors: [PluginDescriptor] = [
        .of(CorrelationIDPlugin.self),
        .of(JWTPlugin.self),
        .of(KeyAuthPlugin.self),
        .of(ACLPlugin.self),
        .of(CORSPlugin.self),
        .of(IPRestrictionPlugin.self),
        .of(RequestSizeLimitingPlugin.self),
        .of(RateLimitingPlugin.self),
        .of(IdempotencyPlugin.self),
        .of(RequestTransformerPlugin.self),
        .of(ResponseTransformerPlugin.self),
        .of(PrometheusPlugin.self),
        .of(FileLogPlugin.self),
        .of(HTTPLogPlugin.self),
    ]

    /// Every built-in plugin.
    public static let registry = PluginRegistry(descriptors)
}
