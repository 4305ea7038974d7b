/// A promotion that gives a discount, and how the discount splits over the lines.
public struct AppliedPromotion: Sendable, Hashable, Codable {
    /// The promotion's ID.
    public var promotionId: String
    /// The code it was entered with; `nil` for automatic promotions.
    public var code: String?
    /// The promotion's name.
    public var name: String
    /// The discount in minor units, equal to the sum of ``allocations``.
    public var amount: Int64
    /// The discount per line (lines with a zero share are left out), in cart line order.
    public var allocations: [LineDiscount]

    /// Creates an applied promotion.
    public init(promotionId: String, code: String?, name: String, amount: Int64, allocations: [LineDiscount]) {
        self.promotionId = promotionId
        self.code = code
        self.name = name
        self.amount = amount
        self.allocations = allocations
    }

    enum CodingKeys: String, CodingKey {
        case code, name, amount, allocations
        case promotionId = "promotion_id"
    }
}
