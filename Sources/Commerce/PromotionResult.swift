/// The discounts a cart gets and the codes that gave none.
public struct PromotionResult: Sendable, Hashable, Codable {
    /// The cart subtotal before discounts.
    public var subtotal: Int64
    /// The applied promotions in the order they applied.
    public var discounts: [AppliedPromotion]
    /// Entered codes that gave no discount, in the order entered.
    public var rejections: [PromotionRejection]

    /// Creates a result.
    public init(subtotal: Int64, discounts: [AppliedPromotion], rejections: [PromotionRejection]) {
        self.subtotal = subtotal
        self.discounts = discounts
        self.rejections = rejections
    }

    /// The sum of all discounts.
    public var discountTotal: Int64 { discounts.reduce(0) { $0 + $1.amount } }

    /// The total discount per line ID (only lines with a discount), ready for ``CartTotals``.
    public var lineDiscounts: [String: Int64] {
        var result: [String: Int64] = [:]
        for discount in discounts {
            for allocation in discount.allocations { result[allocation.lineId, default: 0] += allocation.amount }
        }
        return result
    }

    enum CodingKeys: String, CodingKey {
        case subtotal, discounts, rejections
    }
}
