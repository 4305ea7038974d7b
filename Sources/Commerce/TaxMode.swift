/// Whether a channel's prices include tax.
///
/// Tax is computed per line on the amount after discounts, rounded half away from zero to the
/// minor unit, with integer arithmetic at 128-bit width:
/// - inclusive: `tax = round(gross × r / (10000 + r))`, the price already contains it;
/// - exclusive: `tax = round(net × r / 10000)`, added on top.
public enum TaxMode: String, Sendable, Codable, Hashable, CaseIterable {
    /// Prices include tax (B2C in the EU).
    case inclusive
    /// Prices exclude tax, which is added (B2B, the US).
    case exclusive

    /// The tax contained in (inclusive) or added to (exclusive) `amount` at `rateBasisPoints`.
    public func tax(on amount: Int64, rateBasisPoints: Int) -> Int64 {
        guard rateBasisPoints > 0 else { return 0 }
        let rate = Int64(rateBasisPoints)
        switch self {
        case .inclusive: return Rounding.multiplyDivide(amount, rate, by: 10_000 + rate)
        case .exclusive: return Rounding.multiplyDivide(amount, rate, by: 10_000)
        }
    }
}
