import Gateway

/// The built-in plugins. Adding a plugin is one folder and one line here.
public enum BuiltinPlugins {
    /// Every built-in plugin.
    public static let registry = PluginRegistry([
        .of(CorrelationIDPlugin.self),
        .of(JWTPlugin.self),
        .of(KeyAuthPlugin.self),
        .of(ACLPlugin.self),
    ])
}
