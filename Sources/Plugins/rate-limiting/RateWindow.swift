/// One of Kong's rate-limiting windows. Windows are fixed and aligned to UTC calendar boundaries, as
/// Kong's: the `minute` window of 12:34:56.789 runs from 12:34:00 to 12:35:00, the `month` window
/// from the first of the month at 00:00 UTC to the first of the next.
public enum RateWindow: String, CaseIterable, Sendable, Comparable {
    case second, minute, hour, day, month, year

    /// The suffix of Kong's per-window headers, e.g. `X-RateLimit-Limit-Minute`.
    public var headerSuffix: String {
        switch self {
        case .second: return "Second"
        case .minute: return "Minute"
        case .hour: return "Hour"
        case .day: return "Day"
        case .month: return "Month"
        case .year: return "Year"
        }
    }

    /// Kong's nominal length in seconds (its `expiration.lua`), used to rank windows.
    public var nominalSeconds: Int64 {
        switch self {
        case .second: return 1
        case .minute: return 60
        case .hour: return 3600
        case .day: return 86_400
        case .month: return 2_592_000
        case .year: return 31_536_000
        }
    }

    public static func < (lhs: RateWindow, rhs: RateWindow) -> Bool { lhs.nominalSeconds < rhs.nominalSeconds }

    /// The period of this window that contains `millis` (milliseconds since the Unix epoch, UTC).
    public func period(containing millis: Int64) -> RatePeriod {
        let dayMillis: Int64 = 86_400_000
        switch self {
        case .second: return RatePeriod.fixed(millis, length: 1000)
        case .minute: return RatePeriod.fixed(millis, length: 60_000)
        case .hour: return RatePeriod.fixed(millis, length: 3_600_000)
        case .day: return RatePeriod.fixed(millis, length: dayMillis)
        case .month:
            let date = CivilDate(days: millis.flooredDivision(by: dayMillis))
            let start = CivilDate(year: date.year, month: date.month, day: 1)
            let end =
                date.month == 12
                ? CivilDate(year: date.year + 1, month: 1, day: 1) : CivilDate(year: date.year, month: date.month + 1, day: 1)
            return RatePeriod(start: start.days * dayMillis, end: end.days * dayMillis)
        case .year:
            let date = CivilDate(days: millis.flooredDivision(by: dayMillis))
            let start = CivilDate(year: date.year, month: 1, day: 1)
            let end = CivilDate(year: date.year + 1, month: 1, day: 1)
            return RatePeriod(start: start.days * dayMillis, end: end.days * dayMillis)
        }
    }
}

/// A half-open interval `[start, end)` of Unix milliseconds: one window's current period.
public struct RatePeriod: Sendable, Hashable {
    /// The first millisecond (Kong's `period_date`).
    public let start: Int64
    /// The first millisecond of the next period.
    public let end: Int64

    static func fixed(_ millis: Int64, length: Int64) -> RatePeriod {
        let start = millis.flooredDivision(by: length) * length
        return RatePeriod(start: start, end: start + length)
    }

    /// Whole seconds until the period ends, at least 1 (Kong's `RateLimit-Reset`).
    public func secondsUntilEnd(from now: Int64) -> Int64 {
        let remaining = end - now
        return max(1, (remaining + 999) / 1000)
    }
}

/// A proleptic Gregorian date in UTC, converted to and from days since 1970-01-01 with integer
/// arithmetic only (Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms).
struct CivilDate: Equatable {
    let year: Int64
    let month: Int64
    let day: Int64

    init(year: Int64, month: Int64, day: Int64) {
        self.year = year
        self.month = month
        self.day = day
    }

    init(days: Int64) {
        let z = days + 719_468
        let era = z.flooredDivision(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01.
    var days: Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.flooredDivision(by: 400)
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (so times before 1970 land in the right period).
    func flooredDivision(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
