/// One price in a price list: a variant (by ID or SKU), an amount and the quantity from which it
/// applies (a tier).
public struct PriceListEntry: Sendable, Codable, Hashable {
    /// The variant ID the price is for; either this or ``sku`` identifies the variant.
    public var variantId: String?
    /// The SKU the price is for; either this or ``variantId`` identifies the variant.
    public var sku: String?
    /// The unit price in minor units of the list's currency.
    public var amount: Int64
    /// The smallest quantity in the cart line for which this price applies; 1 for no tier.
    public var minQuantity: Int

    /// Creates an entry.
    public init(variantId: String? = nil, sku: String? = nil, amount: Int64, minQuantity: Int = 1) {
        self.variantId = variantId
        self.sku = sku
        self.amount = amount
        self.minQuantity = minQuantity
    }

    /// Whether the entry is for the variant with this ID or SKU.
    public func matches(variantId: String, sku: String?) -> Bool {
        if let own = self.variantId, own == variantId { return true }
        if let own = self.sku, let sku, own == sku { return true }
        return false
    }

    enum CodingKeys: String, CodingKey {
        case sku, amount
        case variantId = "variant_id"
        case minQuantity = "min_quantity"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        variantId = try container.decodeIfPresent(String.self, forKey: .variantId)
        sku = try container.decodeIfPresent(String.self, forKey: .sku)
        amount = try container.decode(Int64.self, forKey: .amount)
        minQuantity = try container.decodeIfPresent(Int.self, forKey: .minQuantity) ?? 1
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(variantId, forKey: .variantId)
        try container.encode(sku, forKey: .sku)
        try container.encode(amount, forKey: .amount)
        try container.encode(minQuantity, forKey: .minQuantity)
    }
}
