import Gateway
import Testing

@Suite struct ConfigNodeTests {
    private func read(_ yaml: String) -> (ConfigNode?, Diagnostics) {
        var diagnostics = Diagnostics(file: "test.yaml")
        let node = YAMLReader.read(yaml, into: &diagnostics)
        return (node, diagnostics)
    }

    @Test func keepsLineAndColumnOfEveryNode() throws {
        let (root, diagnostics) = read(
            """
            services:
              - name: users
                paths: [/a, "/b"]
            """
        )
        #expect(diagnostics.isEmpty)
        let document = ConfigDocument(file: "test.yaml", root: try #require(root))
        #expect(document.mark(at: ["services"]) == ConfigMark(line: 2, column: 3))
        #expect(document.mark(at: ["services", 0]) == ConfigMark(line: 2, column: 5))
        #expect(document.mark(at: ["services", 0, "name"]) == ConfigMark(line: 2, column: 11))
        #expect(document.keyMark(at: ["services", 0, "paths"]) == ConfigMark(line: 3, column: 5))
        #expect(document.mark(at: ["services", 0, "paths", 1]) == ConfigMark(line: 3, column: 17))
        // A missing field points at the deepest node that exists.
        #expect(document.mark(at: ["services", 0, "url"]) == ConfigMark(line: 2, column: 5))
    }

    @Test func keepsMappingOrder() throws {
        let (root, _) = read("b: 1\na: 2\nc: 3\n")
        #expect(try #require(root).entries?.map(\.key) == ["b", "a", "c"])
    }

    struct ScalarCase: Sendable, CustomTestStringConvertible {
        let yaml: String
        let expected: ConfigScalar.Resolved?
        var testDescription: String { yaml }
    }

    /// YAML 1.2 core schema: quoted scalars stay strings; `yes` is a string; nulls are `nil`.
    @Test(arguments: [
        ScalarCase(yaml: #"v: "3.0""#, expected: .string("3.0")),
        ScalarCase(yaml: "v: 3.0", expected: .float(3.0)),
        ScalarCase(yaml: "v: '42'", expected: .string("42")),
        ScalarCase(yaml: "v: 42", expected: .int(42)),
        ScalarCase(yaml: "v: -7", expected: .int(-7)),
        ScalarCase(yaml: "v: 0x1F", expected: .int(31)),
        ScalarCase(yaml: "v: 0o17", expected: .int(15)),
        ScalarCase(yaml: "v: 1e3", expected: .float(1000)),
        ScalarCase(yaml: "v: true", expected: .bool(true)),
        ScalarCase(yaml: "v: False", expected: .bool(false)),
        ScalarCase(yaml: "v: yes", expected: .string("yes")),
        ScalarCase(yaml: "v: !!str 12", expected: .string("12")),
        ScalarCase(yaml: "v: 127.0.0.1:5004", expected: .string("127.0.0.1:5004")),
        ScalarCase(yaml: "v: |\n  text\n", expected: .string("text\n")),
        ScalarCase(yaml: "v: ~", expected: nil),
        ScalarCase(yaml: "v: null", expected: nil),
        ScalarCase(yaml: "v:", expected: nil),
    ])
    func resolvesScalarsWithTheCoreSchema(_ testCase: ScalarCase) throws {
        let (root, diagnostics) = read(testCase.yaml)
        #expect(diagnostics.isEmpty)
        let node = try #require(root)
        let value = try #require(node["v"])
        if let expected = testCase.expected {
            #expect(value.scalar?.resolved == expected)
        } else {
            #expect(value.isNull)
        }
    }

    @Test func remembersHowAScalarWasQuoted() throws {
        let (root, _) = read("a: plain\nb: 'single'\nc: \"double\"\n")
        let node = try #require(root)
        #expect(node["a"]?.scalar?.style == .plain)
        #expect(node["b"]?.scalar?.style == .singleQuoted)
        #expect(node["c"]?.scalar?.style == .doubleQuoted)
    }

    @Test func reportsEveryDuplicateKeyAndKeepsTheFirst() throws {
        let (root, diagnostics) = read(
            """
            a: 1
            b:
              x: 1
              y: 2
              x: 3
            a: 2
            c: {k: 1, k: 2}
            """
        )
        #expect(
            diagnostics.sorted.map(\.description) == [
                #"test.yaml:5:3: b.x: duplicate key "x" (first defined on line 3)"#,
                #"test.yaml:6:1: a: duplicate key "a" (first defined on line 1)"#,
                #"test.yaml:7:11: c.k: duplicate key "k" (first defined on line 7)"#,
            ]
        )
        let node = try #require(root)
        #expect(node.entries?.map(\.key) == ["a", "b", "c"])
        #expect(node["a"]?.scalar?.text == "1")
        #expect(node["b"]?["x"]?.scalar?.text == "1")
    }

    @Test func reportsSyntaxErrorsWhereYamsFindsThem() {
        let (root, diagnostics) = read("a: [1, 2\nb: 3\n")
        #expect(root == nil)
        #expect(diagnostics.errors.count == 1)
        #expect(diagnostics.errors.first?.mark == ConfigMark(line: 2, column: 2))
        #expect(diagnostics.errors.first?.message.hasPrefix("YAML syntax error: ") == true)
    }

    @Test func emptyFileIsAnError() {
        let (root, diagnostics) = read("# only a comment\n")
        #expect(root == nil)
        #expect(diagnostics.description == "test.yaml:1:1: <root>: the file is empty; expected a mapping")
    }

    @Test func nonScalarKeysAreReported() throws {
        let (root, diagnostics) = read("? [a, b]\n: 1\nc: 2\n")
        #expect(try #require(root).entries?.map(\.key) == ["c"])
        #expect(diagnostics.description == "test.yaml:1:3: <root>: mapping keys must be strings, found a list")
    }
}

@Suite struct ConfigNodeAnchorTests {
    @Test func aliasesAndMergeKeysAreResolved() throws {
        let result = ConfigTestSupport.load(
            """
            _format_version: "3.0"
            x-defaults: &timeouts
              connect_timeout: 2000
              read_timeout: 3000
            services:
              - name: a
                url: http://a
                <<: *timeouts
                read_timeout: 9000
              - name: b
                url: http://b
                <<: [*timeouts]
            """
        )
        #expect(ConfigTestSupport.lines(result) == [])
        let services = try #require(result.config?.services)
        #expect(services.map(\.connectTimeout) == [2000, 2000])
        #expect(services.map(\.readTimeout) == [9000, 3000])
        var diagnostics = Diagnostics(file: "t.yaml")
        let root = try #require(
            YAMLReader.read("base: &b {p: 1, q: 2}\nuse:\n  <<: *b\n  q: 3\n", into: &diagnostics)
        )
        #expect(diagnostics.isEmpty)
        #expect(root["use"]?.entries?.map(\.key) == ["q", "p"])
        #expect(root["use"]?["q"]?.scalar?.text == "3")
        #expect(root["use"]?["p"]?.mark == ConfigMark(line: 1, column: 14))
    }

    @Test func aKeyRepeatedInsideAFlowValueIsNotADuplicate() throws {
        var diagnostics = Diagnostics(file: "t.yaml")
        let root = try #require(YAMLReader.read("name: {name: x}\nother: 1\nname: 2\n", into: &diagnostics))
        #expect(diagnostics.description == #"t.yaml:3:1: name: duplicate key "name" (first defined on line 1)"#)
        #expect(root["name"]?["name"]?.scalar?.text == "x")
    }
}
