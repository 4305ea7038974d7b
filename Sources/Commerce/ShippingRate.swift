/// How a shipping method is priced. JSON: `{"type": "flat", "amount": 495}`,
/// `{"type": "weight", "tiers": [{"up_to_grams": 1000, "amount": 495}]}` or
/// `{"type": "subtotal", "tiers": [{"from_subtotal": 0, "amount": 495}]}`.
public enum ShippingRate: Sendable, Hashable, Codable {
    /// One price for every parcel.
    case flat(amount: Int64)
    /// The price of the lightest tier whose `up_to_grams` is at least the parcel's weight;
    /// heavier than every tier → unavailable.
    case weight(tiers: [WeightTier])
    /// The price of the tier with the highest `from_subtotal` not above the subtotal; below
    /// every tier → unavailable.
    case subtotal(tiers: [SubtotalTier])

    /// The price for a parcel, or `nil` when no tier covers it.
    public func amount(subtotal: Int64, weightGrams: Int) -> Int64? {
        switch self {
        case .flat(let amount):
            return amount
        case .weight(let tiers):
            return tiers.filter { $0.upToGrams >= weightGrams }.min { $0.upToGrams < $1.upToGrams }?.amount
        case .subtotal(let tiers):
            return tiers.filter { $0.fromSubtotal <= subtotal }.max { $0.fromSubtotal < $1.fromSubtotal }?.amount
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, amount, tiers
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "flat": self = .flat(amount: try container.decode(Int64.self, forKey: .amount))
        case "weight": self = .weight(tiers: try container.decode([WeightTier].self, forKey: .tiers))
        case "subtotal": self = .subtotal(tiers: try container.decode([SubtotalTier].self, forKey: .tiers))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "expected flat, weight or subtotal")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .flat(let amount):
            try container.encode("flat", forKey: .type)
            try container.encode(amount, forKey: .amount)
        case .weight(let tiers):
            try container.encode("weight", forKey: .type)
            try container.encode(tiers, forKey: .tiers)
        case .subtotal(let tiers):
            try container.encode("subtotal", forKey: .type)
            try container.encode(tiers, forKey: .tiers)
        }
    }
}
