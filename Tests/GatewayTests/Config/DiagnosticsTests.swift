import Gateway
import Testing

@Suite struct DiagnosticsTests {
    @Test(
        arguments: [
            (ConfigPath.root, "<root>"),
            (["services", 0, "routes", 1, "paths", 0], "services[0].routes[1].paths[0]"),
            (["routes", 2, "headers", "x-version"], "routes[2].headers.x-version"),
            (["routes", 2, "headers", "x.y"], #"routes[2].headers["x.y"]"#),
            (["plugins", 0, "config", "claims_to_headers"], "plugins[0].config.claims_to_headers"),
        ] as [(ConfigPath, String)]
    )
    func pathsPrintAndParseBack(_ path: ConfigPath, _ text: String) {
        #expect(path.description == text)
        #expect(ConfigPath(parsing: text) == path)
    }

    @Test func errorAndWarningFormats() {
        let error = ConfigError(
            file: "gateway.yaml",
            line: 14,
            column: 9,
            path: ["services", 0, "routes", 1, "paths", 0],
            message: #"must start with "/" or "~""#
        )
        #expect(error.description == #"gateway.yaml:14:9: services[0].routes[1].paths[0]: must start with "/" or "~""#)
        var warning = error
        warning.severity = .warning
        warning.message = "secret is short"
        #expect(warning.description == "gateway.yaml:14:9: services[0].routes[1].paths[0]: warning: secret is short")
    }

    @Test func printsInFileOrderAndCountsOnlyErrorsAsFailures() {
        var diagnostics = Diagnostics(file: "g.yaml")
        diagnostics.error("third", at: ConfigMark(line: 9, column: 1), path: ["c"])
        diagnostics.warning("first", at: ConfigMark(line: 2, column: 5), path: ["a"])
        diagnostics.error("second", at: ConfigMark(line: 2, column: 7), path: ["b"])
        #expect(
            diagnostics.description == """
                g.yaml:2:5: a: warning: first
                g.yaml:2:7: b: second
                g.yaml:9:1: c: third
                """
        )
        #expect(diagnostics.errors.count == 2)
        #expect(diagnostics.warnings.count == 1)
        #expect(diagnostics.hasErrors)

        var onlyWarnings = Diagnostics(file: "g.yaml")
        onlyWarnings.warning("w", at: .start, path: .root)
        #expect(!onlyWarnings.hasErrors)
    }

    @Test func pathOnlyReportsFindTheirMarkInTheDocument() throws {
        var diagnostics = Diagnostics(file: "g.yaml")
        let root = try #require(
            YAMLReader.read("plugins:\n  - name: cors\n    config: {max_age: -1}\n", into: &diagnostics)
        )
        diagnostics = Diagnostics(document: ConfigDocument(file: "g.yaml", root: root))
        diagnostics.error("must not be negative", at: ["plugins", 0, "config", "max_age"])
        diagnostics.error(#"missing required field "origins""#, at: ["plugins", 0, "config"])
        #expect(
            diagnostics.description == """
                g.yaml:3:13: plugins[0].config: missing required field "origins"
                g.yaml:3:23: plugins[0].config.max_age: must not be negative
                """
        )
    }

    @Test func loadFailureListsEveryProblem() {
        let result = ConfigTestSupport.load("_format_version: \"3.0\"\nplugins: [{name: nope}, {name: jwtt}]\n")
        #expect(throws: ConfigLoadFailure.self) { try result.get() }
        do {
            _ = try result.get()
        } catch {
            #expect(
                error.description == """
                    test.yaml:2:18: plugins[0].name: unknown plugin "nope"
                    test.yaml:2:32: plugins[1].name: unknown plugin "jwtt"; did you mean "jwt"?
                    """
            )
        }
    }
}
