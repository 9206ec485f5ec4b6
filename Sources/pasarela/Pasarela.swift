import ArgumentParser
import Foundation
import Gateway
import Logging
import NIOCore
import Plugins

/// `pasarela`: the gateway CLI (DESIGN §3). Thin: parses arguments and calls the Gateway library.
@main
struct Pasarela: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pasarela",
        abstract: "An API gateway in the spirit of Kong, configured by one gateway.yaml.",
        subcommands: [Run.self, Validate.self, Routes.self, Token.self]
    )
}

/// The `--config` option shared by every subcommand.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $PASARELA_CONFIG, then ./gateway.yaml).")
    var config: String?

    var path: String {
        config ?? ProcessInfo.processInfo.environment["PASARELA_CONFIG"] ?? "gateway.yaml"
    }

    /// Loads and compiles the file as `run` would, without opening any connection (for checks).
    func loadWithoutConnecting() -> GatewayLoader.Loaded {
        let logger = Logger(label: "pasarela")
        return GatewayLoader.load(
            path: path,
            environment: ProcessInfo.processInfo.environment,
            registry: BuiltinPlugins.registry,
            logger: logger,
            dispatchers: AMQPConnections(logger: logger).dispatcherFactory(connect: false)
        )
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the configuration.")
    @OptionGroup var options: ConfigOption

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel =
                Logger.Level(rawValue: ProcessInfo.processInfo.environment["PASARELA_LOG_LEVEL"] ?? "info") ?? .info
            return handler
        }
        let logger = Logger(label: "pasarela")
        do {
            let threads = ProcessInfo.processInfo.environment["PASARELA_EVENT_LOOPS"].flatMap(Int.init) ?? System.coreCount
            let process = try GatewayProcess(
                configPath: options.path,
                registry: BuiltinPlugins.registry,
                logger: logger,
                eventLoopThreads: threads
            )
            try await process.runUntilSignalled()
        } catch let failure as ConfigLoadFailure {
            FileHandle.standardError.write(Data((failure.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the configuration; print every error.")
    @OptionGroup var options: ConfigOption

    func run() throws {
        let loaded = options.loadWithoutConnecting()
        for problem in loaded.diagnostics.sorted {
            FileHandle.standardError.write(Data((problem.description + "\n").utf8))
        }
        switch loaded.result {
        case .success(let compiled):
            print("\(options.path): OK (\(compiled.summaryLine))")
        case .failure:
            let count = loaded.diagnostics.errors.count
            FileHandle.standardError.write(Data("\(options.path): \(count) error\(count == 1 ? "" : "s")\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Routes: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the compiled routing table in match order.")
    @OptionGroup var options: ConfigOption

    func run() throws {
        let loaded = options.loadWithoutConnecting()
        switch loaded.result {
        case .success(let compiled):
            print(compiled.routesTable())
        case .failure:
            for problem in loaded.diagnostics.sorted {
                FileHandle.standardError.write(Data((problem.description + "\n").utf8))
            }
            throw ExitCode(1)
        }
    }
}

struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mint a JWT for a consumer's jwt_secrets credential (a development aid).",
        discussion: """
            HS* credentials are signed with their secret; RS*, PS*, ES* and EdDSA credentials need the \
            private key that matches their public key (--private-key). Prints the token.
            """
    )
    @OptionGroup var options: ConfigOption
    @Option(help: "The consumer's username, custom_id or id.") var consumer: String
    @Option(help: "The credential's key, when the consumer has several.") var key: String?
    @Option(help: "Lifetime in seconds (the exp claim); 0 for none.") var ttl: Int = 3600
    @Option(name: .customLong("claim"), help: "An extra claim: name=string or name:=number|true|false (repeatable).")
    var claims: [String] = []
    @Option(name: .customLong("private-key"), help: "PEM file with the private key (RS*, PS*, ES*, EdDSA).")
    var privateKey: String?
    @Option(help: "A kid header (for JWKS credentials).") var kid: String?

    func run() throws {
        let loaded = options.loadWithoutConnecting()
        guard case .success(let compiled) = loaded.result else {
            for problem in loaded.diagnostics.sorted {
                FileHandle.standardError.write(Data((problem.description + "\n").utf8))
            }
            throw ExitCode(1)
        }
        do {
            let pem = try privateKey.map { try String(contentsOfFile: $0, encoding: .utf8) }
            let request = JWTMinter.Request(
                consumer: consumer,
                key: key,
                ttl: ttl,
                claims: claims,
                privateKeyPEM: pem,
                keyID: kid
            )
            print(try JWTMinter.mint(request, config: compiled.declaration))
        } catch let failure as JWTMinter.Failure {
            FileHandle.standardError.write(Data("pasarela token: \(failure)\n".utf8))
            throw ExitCode(1)
        }
    }
}
