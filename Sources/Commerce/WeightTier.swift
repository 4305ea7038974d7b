/// A shipping price for parcels up to a weight.
public struct WeightTier: Sendable, Hashable, Codable {
    /// The heaviest parcel (inclusive) this tier prices, in grams.
    public var upToGrams: Int
    /// The price in minor units.
    public var amount: Int64

    /// Creates a tier.
    public init(upToGrams: Int, amount: Int64) {
        self.upToGrams = upToGrams
        self.amount = amount
    }

    enum CodingKeys: String, CodingKey {
        case amount
        case upToGrams = "up_to_grams"
    }
}
