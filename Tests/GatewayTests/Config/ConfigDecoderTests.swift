import Gateway
import Testing

/// A plugin-style configuration, written the way plugins write theirs.
private struct SampleConfig: Decodable, Equatable {
    enum Policy: String, ConfigEnum { case local, cluster, redis }

    var minute: Int?
    var policy: Policy
    var faultTolerant: Bool
    var headerName: String
    var limits: [Int]
    var window: ConfigDuration
    var redis: Redis?

    struct Redis: Decodable, Equatable {
        var host: String
        var port: Int

        init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        private enum CodingKeys: String, CodingKey { case host, port }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            host = try c.decode(String.self, forKey: .host)
            port = try c.decodeIfPresent(Int.self, forKey: .port) ?? 6379
        }
    }

    private enum CodingKeys: String, CodingKey {
        case minute, policy, limits, window, redis
        case faultTolerant = "fault_tolerant"
        case headerName = "header_name"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minute = try c.decodeIfPresent(Int.self, forKey: .minute)
        policy = try c.decodeIfPresent(Policy.self, forKey: .policy) ?? .local
        faultTolerant = try c.decodeIfPresent(Bool.self, forKey: .faultTolerant) ?? true
        headerName = try c.decodeIfPresent(String.self, forKey: .headerName) ?? "X-Limit"
        limits = try c.decodeIfPresent([Int].self, forKey: .limits) ?? []
        window = try c.decodeIfPresent(ConfigDuration.self, forKey: .window) ?? .seconds(1)
        redis = try c.decodeIfPresent(Redis.self, forKey: .redis)
    }
}

@Suite struct ConfigDecoderTests {
    /// Decodes `yaml`'s `config:` block as a plugin registry would.
    private func decode(_ yaml: String) throws -> (SampleConfig?, [String]) {
        var diagnostics = Diagnostics(file: "plugin.yaml")
        let root = try #require(YAMLReader.read(yaml, into: &diagnostics))
        let node = try #require(root["config"])
        let config = ConfigDecoder.decode(
            SampleConfig.self,
            from: node,
            at: ["plugins", 0, "config"],
            into: &diagnostics
        )
        return (config, diagnostics.sorted.map(\.description))
    }

    @Test func decodesValuesAndDefaults() throws {
        let (config, errors) = try decode(
            """
            config:
              minute: 5
              policy: redis
              fault_tolerant: no
              limits: [1, 2]
              window: 500ms
              redis: {host: cache}
            """
        )
        #expect(errors == [])
        let value = try #require(config)
        #expect(value.minute == 5)
        #expect(value.policy == .redis)
        #expect(value.faultTolerant == false)
        #expect(value.headerName == "X-Limit")
        #expect(value.limits == [1, 2])
        #expect(value.window == ConfigDuration(milliseconds: 500))
        #expect(value.redis == SampleConfig.Redis(host: "cache", port: 6379))
    }

    @Test func collectsEveryProblemAndKeepsDefaults() throws {
        let (config, errors) = try decode(
            """
            config:
              minute: five
              policy: clustr
              fault_tolerant: "yes"
              header_name: [a]
              limits: [1, x, 3, {}]
              window: soon
              redis: {port: 1}
              minut: 5
            """
        )
        #expect(
            errors == [
                #"plugin.yaml:2:11: plugins[0].config.minute: expected an integer, found "five""#,
                #"plugin.yaml:3:11: plugins[0].config.policy: expected one of "local", "cluster", "redis", found "clustr"; did you mean "cluster"?"#,
                #"plugin.yaml:4:19: plugins[0].config.fault_tolerant: expected a boolean, found "yes""#,
                #"plugin.yaml:5:16: plugins[0].config.header_name: expected a string, found a list"#,
                #"plugin.yaml:6:15: plugins[0].config.limits[1]: expected an integer, found "x""#,
                #"plugin.yaml:6:21: plugins[0].config.limits[3]: expected an integer, found a mapping"#,
                #"plugin.yaml:7:11: plugins[0].config.window: invalid duration "soon"; expected e.g. 500ms, 10s, 2m or 1h"#,
                #"plugin.yaml:8:10: plugins[0].config.redis: missing required field "host""#,
                #"plugin.yaml:9:3: plugins[0].config.minut: unknown field "minut"; did you mean "minute"?"#,
            ]
        )
        let value = try #require(config)
        #expect(value.minute == nil)
        #expect(value.policy == .local)
        #expect(value.faultTolerant == true)
        #expect(value.headerName == "X-Limit")
        #expect(value.limits == [1, 3])
        #expect(value.redis == nil)
    }

    @Test func aWrongTopLevelTypeYieldsNil() throws {
        let (config, errors) = try decode("config: [1, 2]\n")
        #expect(config == nil)
        #expect(errors == ["plugin.yaml:1:9: plugins[0].config: expected a mapping, found a list"])
    }

    @Test func unknownKeysUnderADictionaryAreAllowed() throws {
        var diagnostics = Diagnostics(file: "t.yaml")
        let root = try #require(YAMLReader.read("a: {x: [1], y: [2, 3]}\n", into: &diagnostics))
        let value = ConfigDecoder.decode([String: [Int]].self, from: try #require(root["a"]), into: &diagnostics)
        #expect(value == ["x": [1], "y": [2, 3]])
        #expect(diagnostics.isEmpty)
    }

    @Test func rawNodesKeepTheirMarks() throws {
        struct Holder: Decodable { var config: ConfigNode? }
        var diagnostics = Diagnostics(file: "t.yaml")
        let root = try #require(YAMLReader.read("config:\n  deep: {x: 1}\n", into: &diagnostics))
        let holder = try #require(ConfigDecoder.decode(Holder.self, from: root, into: &diagnostics))
        #expect(holder.config?["deep"]?.mark == ConfigMark(line: 2, column: 9))
        #expect(diagnostics.isEmpty)
    }

    struct NumberCase: Sendable, CustomTestStringConvertible {
        let yaml: String
        let expected: String?
        var testDescription: String { yaml }
    }

    @Test(arguments: [
        NumberCase(yaml: "v: 300", expected: nil),
        NumberCase(yaml: "v: 70000", expected: "t.yaml:1:4: v: integer 70000 is out of range (0...65535)"),
        NumberCase(yaml: "v: -1", expected: "t.yaml:1:4: v: integer -1 is out of range (0...65535)"),
        NumberCase(yaml: "v: 1.0", expected: "t.yaml:1:4: v: expected an integer, found 1.0"),
        NumberCase(yaml: "v: true", expected: "t.yaml:1:4: v: expected an integer, found true"),
        NumberCase(yaml: #"v: "80""#, expected: #"t.yaml:1:4: v: expected an integer, found "80""#),
    ])
    func integersAreCheckedForTypeAndRange(_ testCase: NumberCase) throws {
        struct Port: Decodable { var v: UInt16? }
        var diagnostics = Diagnostics(file: "t.yaml")
        let root = try #require(YAMLReader.read(testCase.yaml, into: &diagnostics))
        _ = ConfigDecoder.decode(Port.self, from: root, into: &diagnostics)
        #expect(diagnostics.all.first?.description == testCase.expected)
    }
}
