import Testing

@testable import Plugins

/// Fixed windows aligned to UTC calendar boundaries (Kong's `timestamp.get_timestamps`).
@Suite struct RateWindowTests {
    /// 2024-02-29T13:45:30.250Z (a leap day).
    static let leapDay: Int64 = 1_709_214_330_250

    @Test(arguments: [
        (RateWindow.second, Int64(1_709_214_330_000), Int64(1_709_214_331_000)),
        (.minute, 1_709_214_300_000, 1_709_214_360_000),
        (.hour, 1_709_211_600_000, 1_709_215_200_000),
        (.day, 1_709_164_800_000, 1_709_251_200_000),
        // 2024-02-01 .. 2024-03-01 (29 days).
        (.month, 1_706_745_600_000, 1_709_251_200_000),
        // 2024-01-01 .. 2025-01-01 (366 days).
        (.year, 1_704_067_200_000, 1_735_689_600_000),
    ])
    func periodsAreCalendarAligned(window: RateWindow, start: Int64, end: Int64) {
        let period = window.period(containing: Self.leapDay)
        #expect(period == RatePeriod(start: start, end: end))
    }

    @Test func monthsHaveTheirOwnLengths() {
        // 2023-12-31T23:59:59.999Z is in December; one millisecond later is January of the next year.
        let lastMillisecond: Int64 = 1_704_067_199_999
        let december = RateWindow.month.period(containing: lastMillisecond)
        #expect(december.end - december.start == 31 * 86_400_000)
        let january = RateWindow.month.period(containing: lastMillisecond + 1)
        #expect(january.start == december.end)
        #expect(RateWindow.year.period(containing: lastMillisecond).end == january.start)
        // 2023-02 has 28 days.
        let february2023 = RateWindow.month.period(containing: 1_676_000_000_000)
        #expect(february2023.end - february2023.start == 28 * 86_400_000)
    }

    @Test func civilDatesRoundTrip() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let date = CivilDate(days: days)
            #expect(date.days == days)
            #expect((1...12).contains(date.month) && (1...31).contains(date.day))
        }
        #expect(CivilDate(days: 0) == CivilDate(year: 1970, month: 1, day: 1))
        #expect(CivilDate(year: 2000, month: 3, day: 1).days - CivilDate(year: 2000, month: 2, day: 28).days == 2)
    }

    @Test func resetIsWholeSecondsUntilTheEndAtLeastOne() {
        let minute = RateWindow.minute.period(containing: Self.leapDay)  // 13:45:00 .. 13:46:00
        #expect(minute.secondsUntilEnd(from: Self.leapDay) == 30)  // 29.75 s left
        #expect(minute.secondsUntilEnd(from: minute.end - 1) == 1)
        #expect(minute.secondsUntilEnd(from: minute.start) == 60)
        #expect(RateWindow.second.period(containing: Self.leapDay).secondsUntilEnd(from: Self.leapDay) == 1)
    }

    @Test func windowsBeforeTheEpochFloor() {
        let period = RateWindow.minute.period(containing: -1)
        #expect(period == RatePeriod(start: -60_000, end: 0))
    }
}
