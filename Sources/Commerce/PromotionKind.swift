import TorsoKit

/// What a promotion takes off: a percentage or a fixed amount. JSON:
/// `{"type": "percentage", "basis_points": 1000}` or `{"type": "fixed", "amount": 500, "currency": "EUR"}`.
public enum PromotionKind: Sendable, Hashable, Codable {
    /// A share of the amount it applies to, in basis points (10 % is 1000).
    case percentage(basisPoints: Int)
    /// A fixed amount in minor units: off the order, or off each matching unit for item targets.
    case fixed(amount: Int64, currency: Currency)

    enum CodingKeys: String, CodingKey {
        case type, amount, currency
        case basisPoints = "basis_points"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "percentage":
            self = .percentage(basisPoints: try container.decode(Int.self, forKey: .basisPoints))
        case "fixed":
            self = .fixed(amount: try container.decode(Int64.self, forKey: .amount),
                          currency: try container.decode(Currency.self, forKey: .currency))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "expected percentage or fixed")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .percentage(let basisPoints):
            try container.encode("percentage", forKey: .type)
            try container.encode(basisPoints, forKey: .basisPoints)
        case .fixed(let amount, let currency):
            try container.encode("fixed", forKey: .type)
            try container.encode(amount, forKey: .amount)
            try container.encode(currency, forKey: .currency)
        }
    }
}
