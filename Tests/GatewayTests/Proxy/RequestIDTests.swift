import Testing

@testable import Gateway

/// Request and job ids: their text forms, bit for bit.
@Suite struct RequestIDTests {
    @Test func uuidIsVersion4InCanonicalForm() {
        #expect(RequestID.uuid(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210) == "01234567-89ab-4def-bedc-ba9876543210")
        #expect(RequestID.uuid(0, 0) == "00000000-0000-4000-8000-000000000000")
        #expect(RequestID.uuid(.max, .max) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
    }

    @Test func hex128IsThirtyTwoLowerCaseDigits() {
        #expect(RequestID.hex128(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210) == "0123456789abcdeffedcba9876543210")
        #expect(RequestID.hex128(0, 1) == "00000000000000000000000000000001")
    }

    @Test func generatedIdsAreWellFormedAndDistinct() {
        var generator = RequestIDGenerator()
        let ids = (0..<1000).map { _ in generator.uuid() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(10) {
            #expect(id.utf8.count == 36)
            #expect(RequestID.isWellFormed(id))
            #expect(Array(id)[14] == "4")
        }
    }
}
