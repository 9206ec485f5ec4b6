import NIOCore
import Testing

@testable import Gateway

/// Fields copied from a head parsed in place come out as canonical `name: value\r\n` lines, whether
/// the copier copies a line (or a run of lines) as it stands or writes it piece by piece.
@Suite struct FieldLineCopierTests {
    /// Parses `fields` as a request head and copies the fields `keep` accepts.
    private func copied(_ fields: String, keep: (String) -> Bool = { _ in true }) throws -> String {
        var parser = RequestHeadParser(maxRequestLine: 1024, maxHeadSize: 4096)
        guard case .head(let raw, _) = parser.parse(ByteBuffer(string: "GET / HTTP/1.1\r\n" + fields + "\r\n")) else {
            Issue.record("the request did not parse")
            return ""
        }
        var out = ByteBuffer()
        raw.bytes.withUnsafeReadableBytes { head in
            var copier = FieldLineCopier()
            for field in raw.fields where keep(raw.string(field.name)) {
                copier.copy(field, from: head, into: &out)
            }
            copier.flush(from: head, into: &out)
        }
        return String(buffer: out)
    }

    @Test func canonicalLinesAreCopiedAsTheyStand() throws {
        let fields = "Host: h\r\nAccept: */*\r\nX-A: 1\r\n"
        #expect(try copied(fields) == fields)
    }

    @Test func otherSpacingIsWrittenCanonically() throws {
        let fields = "Host:h\r\nAccept:   */*  \r\nX-A:\t1\r\nX-Empty:\r\nX-B: 2\r\n"
        #expect(try copied(fields) == "Host: h\r\nAccept: */*\r\nX-A: 1\r\nX-Empty: \r\nX-B: 2\r\n")
    }

    @Test func skippedFieldsBreakARunWithoutLosingOrder() throws {
        let fields = "Host: h\r\nA: 1\r\nB: 2\r\nDrop: x\r\nC: 3\r\nD:4\r\nE: 5\r\n"
        #expect(try copied(fields) { $0 != "Drop" } == "Host: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n")
    }
}
