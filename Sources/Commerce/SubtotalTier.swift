/// A shipping price for carts from a subtotal on.
public struct SubtotalTier: Sendable, Hashable, Codable {
    /// The smallest subtotal (inclusive, after discounts) this tier prices, in minor units.
    public var fromSubtotal: Int64
    /// The price in minor units.
    public var amount: Int64

    /// Creates a tier.
    public init(fromSubtotal: Int64, amount: Int64) {
        self.fromSubtotal = fromSubtotal
        self.amount = amount
    }

    enum CodingKeys: String, CodingKey {
        case amount
        case fromSubtotal = "from_subtotal"
    }
}
