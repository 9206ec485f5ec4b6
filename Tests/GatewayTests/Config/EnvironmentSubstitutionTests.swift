import Gateway
import Testing

@Suite struct EnvironmentSubstitutionTests {
    static let environment = ["HOST": "db.internal", "PORT": "5432", "EMPTY": "", "USER": "pagos"]

    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let expected: Result<String, EnvironmentSubstitution.Failure>
        var testDescription: String { text }
    }

    @Test(arguments: [
        Case(text: "no references here", expected: .success("no references here")),
        Case(text: "cost: $5 {braces}", expected: .success("cost: $5 {braces}")),
        Case(text: "${HOST}", expected: .success("db.internal")),
        Case(text: "postgres://${USER}@${HOST}:${PORT}/db", expected: .success("postgres://pagos@db.internal:5432/db")),
        Case(text: "${MISSING:-fallback}", expected: .success("fallback")),
        Case(text: "${EMPTY:-fallback}", expected: .success("fallback")),
        Case(text: "[${EMPTY}]", expected: .success("[]")),
        Case(text: "${MISSING:-}", expected: .success("")),
        Case(text: "${HOST:-other}", expected: .success("db.internal")),
        Case(text: "${MISSING:-a:b-c}", expected: .success("a:b-c")),
        Case(text: "${MISSING}", expected: .failure(.unset("MISSING"))),
        Case(text: "x ${HOST} ${NOPE}", expected: .failure(.unset("NOPE"))),
        Case(text: "${HOST", expected: .failure(.unterminated)),
        Case(text: "${1BAD}", expected: .failure(.malformed("1BAD"))),
        Case(text: "${A-b}", expected: .failure(.malformed("A-b"))),
        Case(text: "${A:-${B}}", expected: .failure(.nested("A"))),
    ])
    func substitutes(_ testCase: Case) {
        let substitution = EnvironmentSubstitution(environment: Self.environment)
        #expect(substitution.substitute(testCase.text) == testCase.expected)
    }

    @Test func failureMessages() {
        #expect(
            EnvironmentSubstitution.Failure.unset("JWT_SECRET").description
                == "environment variable JWT_SECRET is not set"
        )
    }

    @Test func substitutesValuesButNotKeysAndReportsAtTheScalar() throws {
        var diagnostics = Diagnostics(file: "test.yaml")
        let root = try #require(
            YAMLReader.read(
                """
                ${HOST}: keep
                list:
                  - "${HOST}"
                  - ${NOT_SET}
                """,
                into: &diagnostics
            )
        )
        let substituted = EnvironmentSubstitution(environment: Self.environment)
            .apply(to: root, at: .root, into: &diagnostics)
        #expect(substituted.entries?.first?.key == "${HOST}")
        #expect(substituted["${HOST}"]?.scalar?.text == "keep")
        #expect(substituted["list"]?.items?.first?.scalar?.text == "db.internal")
        #expect(substituted["list"]?.items?.last?.scalar?.text == "${NOT_SET}")
        #expect(diagnostics.description == "test.yaml:4:5: list[1]: environment variable NOT_SET is not set")
    }

    @Test func aPlainSubstitutedNumberDecodesAsAnInteger() throws {
        let result = ConfigTestSupport.load(
            """
            _format_version: "3.0"
            services:
              - name: s
                host: ${HOST}
                port: ${PORT}
                retries: ${RETRIES:-3}
                tags: ["${USER}"]
            """,
            environment: Self.environment
        )
        #expect(ConfigTestSupport.lines(result) == [])
        let service = try #require(result.config?.services.first)
        #expect(service.host == "db.internal")
        #expect(service.port == 5432)
        #expect(service.retries == 3)
        #expect(service.tags == ["pagos"])
    }

    @Test func anUnsetSecretIsReportedOnce() {
        let result = ConfigTestSupport.load(
            """
            _format_version: "3.0"
            consumers:
              - username: app
                jwt_secrets:
                  - key: pagos
                    secret: ${JWT_SECRET}
            """
        )
        #expect(
            ConfigTestSupport.lines(result) == [
                "test.yaml:6:17: consumers[0].jwt_secrets[0].secret: environment variable JWT_SECRET is not set"
            ]
        )
    }
}
