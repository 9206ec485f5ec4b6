import Foundation
import Testing

@testable import Plugins

/// The shared readers of request formats: form-urlencoded arguments, multipart bodies, content types.
@Suite struct BodyFormatsTests {
    @Test(arguments: [
        ("a+b%20c", "a b c"), ("%41%4a%4A", "AJJ"), ("%zz", "%zz"), ("%4", "%4"), ("%", "%"), ("%z%41", "%zA"),
        ("100%", "100%"), ("%E2%82%AC", "€"), ("plain", "plain"),
    ])
    func unescapesAsNginx(text: String, decoded: String) {
        #expect(FormArguments.unescape(text[...]) == decoded)
    }

    @Test func readsArguments() {
        let arguments = FormArguments(decoding: "a=1&a=2&flag&=x&b=&c=%3D")
        #expect(arguments["a"] == .values(["1", "2"]))
        #expect(arguments["flag"] == .flag)
        #expect(arguments["b"] == .values([""]))
        #expect(arguments["c"] == .values(["="]))
        #expect(arguments.entries.map(\.name) == ["a", "flag", "b", "c"])
    }

    @Test func removesPairsKeepingTheOthersAsWritten() {
        #expect(FormArguments.removing("apikey", from: "a=%41&apikey=k&b=c+d&api%6Bey=x") == "a=%41&b=c+d")
        #expect(FormArguments.removing("apikey", from: "apikey=k") == nil)
        #expect(FormArguments.removing("apikey", from: "apikey&x") == "x")
    }

    @Test(arguments: [
        ("application/x-www-form-urlencoded", BodyKind.form), ("Application/JSON; charset=utf-8", .json),
        ("multipart/form-data; boundary=x", .multipart), ("application/jsonp", .json),
    ])
    func readsBodyContentTypesAsKongsPDK(type: String, kind: BodyKind) {
        #expect(BodyKind(bodyContentType: type) == kind)
    }

    @Test func pdkContentTypesMatchAtTheStart() {
        #expect(BodyKind(bodyContentType: "text/plain; x=application/json") == nil)
        #expect(BodyKind(requestContentType: "text/plain; x=application/json") == .json)
        #expect(BodyKind(bodyContentType: nil) == nil)
        #expect(BodyKind(bodyContentType: "application/vnd.api+json") == nil)
    }

    static let multipart = [
        "preamble", "--XyZ", #"Content-Disposition: form-data; name="apikey""#, "", "kong", "--XyZ",
        #"Content-Disposition: form-data; name="file"; filename="a.txt""#, "Content-Type: text/plain", "",
        "line 1\r\nline 2", "--XyZ", #"content-disposition: form-data; name=empty"#, "", "", "--XyZ--", "",
    ].joined(separator: "\r\n")

    @Test func readsMultipartFields() throws {
        let form = try #require(
            MultipartFormData(Array(Self.multipart.utf8), contentType: "multipart/form-data; boundary=\"XyZ\"")
        )
        #expect(form.parts.map(\.name) == ["apikey", "file", "empty"])
        #expect(form.values(named: "apikey") == ["kong"])
        #expect(form.values(named: "file") == ["line 1\r\nline 2"])
        #expect(form.values(named: "empty") == [""])
        #expect(form.values(named: "a.txt") == [])
    }

    @Test func removesMultipartFields() throws {
        let form = try #require(MultipartFormData(Array(Self.multipart.utf8), contentType: "multipart/form-data; boundary=XyZ"))
        let stripped = String(decoding: form.removing("apikey"), as: UTF8.self)
        #expect(
            stripped
                == Self.multipart.replacingOccurrences(
                    of: "--XyZ\r\nContent-Disposition: form-data; name=\"apikey\"\r\n\r\nkong\r\n",
                    with: ""
                )
        )
        let reparsed = try #require(MultipartFormData(Array(stripped.utf8), contentType: "multipart/form-data; boundary=XyZ"))
        #expect(reparsed.parts.map(\.name) == ["file", "empty"])
        #expect(reparsed.values(named: "file") == ["line 1\r\nline 2"])
    }

    @Test(arguments: [
        ("multipart/form-data", "--XyZ\r\n\r\nx\r\n--XyZ--"),
        ("multipart/form-data; boundary=XyZ", "no delimiter at all"),
        ("multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nunterminated"),
        ("multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=a"),
    ])
    func refusesBrokenMultipart(contentType: String, body: String) {
        #expect(MultipartFormData(Array(body.utf8), contentType: contentType) == nil)
    }
}
