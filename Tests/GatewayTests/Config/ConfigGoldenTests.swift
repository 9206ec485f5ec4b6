import Foundation
import Gateway
import Testing

/// Runs every `Fixtures/config/NAME.yaml` and compares the printed diagnostics with
/// `NAME.errors` (one line per report, file order; empty for a valid file). A new case is a
/// new pair of files. Set `PASARELA_UPDATE_GOLDEN=1` to rewrite the `.errors` files.
@Suite struct ConfigGoldenTests {
    /// The environment every golden case loads with.
    static let environment = ["JWT_SECRET": "golden-secret-golden-secret-golden-secret", "EMPTY": ""]

    static var caseNames: [String] {
        let files =
            (try? FileManager.default.contentsOfDirectory(atPath: ConfigTestSupport.fixturesDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test func thereAreEnoughGoldenCases() {
        #expect(Self.caseNames.count >= 8)
    }

    @Test(arguments: caseNames)
    func golden(_ name: String) throws {
        let yaml = try ConfigTestSupport.fixture("\(name).yaml")
        let result = ConfigTestSupport.load(yaml, environment: Self.environment, file: "\(name).yaml")
        let actual = ConfigTestSupport.lines(result)
        let expectedURL = ConfigTestSupport.fixturesDirectory.appendingPathComponent("\(name).errors")
        if ProcessInfo.processInfo.environment["PASARELA_UPDATE_GOLDEN"] == "1" {
            let text = actual.map { $0 + "\n" }.joined()
            try text.write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        #expect(actual == expected)
        #expect(result.succeeded == !actual.contains { !$0.contains(": warning: ") })
    }
}
