/// Integer arithmetic on minor units with one rounding rule: half away from zero ("half up"
/// for positive amounts), so `0.5` cent becomes `1` and `-0.5` becomes `-1`. Products are
/// computed at 128-bit width, so `a * b` never overflows before the division.
public enum Rounding {
    /// `a * b / divisor`, rounded half away from zero. `divisor` must be positive; traps only
    /// when the rounded quotient itself does not fit in `Int64`.
    public static func multiplyDivide(_ a: Int64, _ b: Int64, by divisor: Int64) -> Int64 {
        precondition(divisor > 0, "divisor must be positive")
        let product = a.multipliedFullWidth(by: b)
        let (quotient, remainder) = divisor.dividingFullWidth(product)
        // |remainder| < divisor, so doubling it cannot overflow for any divisor ≤ Int64.max / 2.
        if remainder > 0, remainder >= divisor - remainder { return quotient + 1 }
        if remainder < 0, -remainder >= divisor + remainder { return quotient - 1 }
        return quotient
    }

    /// `a * b / divisor`, rounded toward zero (the integer share used when allocating, with the
    /// remainder handed out separately).
    public static func multiplyDivideTruncating(_ a: Int64, _ b: Int64, by divisor: Int64) -> Int64 {
        precondition(divisor > 0, "divisor must be positive")
        return divisor.dividingFullWidth(a.multipliedFullWidth(by: b)).quotient
    }

    /// Splits `amount` (≥ 0) over `weights` (each ≥ 0) proportionally. Each share is the truncated
    /// proportional part; the remaining minor units go one each to the largest weights first,
    /// ties broken by `keys` ascending. Shares never exceed their weight when `amount` ≤ the sum
    /// of the weights, and they always sum to `amount` (or to the weight sum, if that is smaller).
    public static func allocate(_ amount: Int64, weights: [Int64], keys: [String]) -> [Int64] {
        precondition(weights.count == keys.count, "one key per weight")
        let total = weights.reduce(0, +)
        guard amount > 0, total > 0 else { return weights.map { _ in 0 } }
        let capped = min(amount, total)
        var shares = weights.map { multiplyDivideTruncating(capped, $0, by: total) }
        var remainder = capped - shares.reduce(0, +)
        let order = weights.indices.sorted { lhs, rhs in
            weights[lhs] != weights[rhs] ? weights[lhs] > weights[rhs] : keys[lhs] < keys[rhs]
        }
        while remainder > 0 {
            var progressed = false
            for index in order where remainder > 0 && shares[index] < weights[index] {
                shares[index] += 1
                remainder -= 1
                progressed = true
            }
            if !progressed { break }
        }
        return shares
    }
}
