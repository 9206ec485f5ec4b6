import Foundation

/// Money is integer cents everywhere; only the legacy Spanish API shows major units.
public enum Money {
    /// Cents as an exact decimal number of major units: 50000 → 500, 49950 → 499.5.
    public static func majorUnits(_ cents: Int64) -> Decimal {
        Decimal(cents) / 100
    }

    /// Major units (as the legacy API takes them, e.g. `{"monto": 12.5}`) as cents; `nil` when not a
    /// positive amount with at most two decimals.
    public static func cents(fromMajorUnits amount: Decimal) -> Int64? {
        guard amount > 0 else { return nil }
        var scaled = amount * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled, rounded <= Decimal(Int64.max / 2) else { return nil }
        return NSDecimalNumber(decimal: rounded).int64Value
    }
}
