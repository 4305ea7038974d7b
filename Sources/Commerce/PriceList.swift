import Foundation
import TorsoKit

/// A named set of prices in one currency that, while active, adds sale prices or replaces base
/// prices, optionally only for one channel and one customer group. See ``PriceResolver``.
public struct PriceList: Sendable, Codable, Hashable {
    /// The list's ID.
    public var id: String
    /// A stable code, reported as ``ResolvedPrice/source`` (`black-friday`).
    public var code: String
    /// The channel the list applies to; `nil` for every channel.
    public var channel: String?
    /// The currency of every entry.
    public var currency: Currency
    /// The customer group the list is for; `nil` for everyone.
    public var customerGroup: String?
    /// The first instant the list is active; `nil` for always.
    public var startsAt: Date?
    /// The first instant the list is no longer active (exclusive); `nil` for never.
    public var endsAt: Date?
    /// Sale or override.
    public var type: PriceListType
    /// Higher wins among overrides.
    public var priority: Int
    /// The prices.
    public var prices: [PriceListEntry]

    /// Creates a price list.
    public init(id: String, code: String, channel: String? = nil, currency: Currency, customerGroup: String? = nil,
                startsAt: Date? = nil, endsAt: Date? = nil, type: PriceListType, priority: Int = 0,
                prices: [PriceListEntry] = []) {
        self.id = id
        self.code = code
        self.channel = channel
        self.currency = currency
        self.customerGroup = customerGroup
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.type = type
        self.priority = priority
        self.prices = prices
    }

    /// Whether the list is active at `now`: `starts_at ≤ now < ends_at`, missing bounds open.
    public func isActive(at now: Date) -> Bool {
        if let startsAt, now < startsAt { return false }
        if let endsAt, now >= endsAt { return false }
        return true
    }

    /// Whether the list applies to a channel, currency and customer group: a `nil` channel or
    /// group on the list matches anything; a set one matches only itself.
    public func applies(channel: String?, currency: Currency, customerGroup: String?) -> Bool {
        guard self.currency == currency else { return false }
        if let own = self.channel, own != channel { return false }
        if let own = self.customerGroup, own != customerGroup { return false }
        return true
    }

    /// The entry for a variant at a quantity: the matching entry with the highest
    /// `min_quantity` not above `quantity` (the lower amount on a tie); `nil` if none.
    public func entry(variantId: String, sku: String?, quantity: Int) -> PriceListEntry? {
        prices
            .filter { $0.matches(variantId: variantId, sku: sku) && $0.minQuantity <= quantity }
            .min { lhs, rhs in
                lhs.minQuantity != rhs.minQuantity ? lhs.minQuantity > rhs.minQuantity : lhs.amount < rhs.amount
            }
    }

    /// How specific the list is: customer group (2) beats channel (1) beats general (0); both
    /// set scores 3.
    public var specificity: Int { (customerGroup == nil ? 0 : 2) + (channel == nil ? 0 : 1) }

    enum CodingKeys: String, CodingKey {
        case id, code, channel, currency, type, priority, prices
        case customerGroup = "customer_group"
        case startsAt = "starts_at"
        case endsAt = "ends_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        code = try container.decode(String.self, forKey: .code)
        channel = try container.decodeIfPresent(String.self, forKey: .channel)
        currency = try container.decode(Currency.self, forKey: .currency)
        customerGroup = try container.decodeIfPresent(String.self, forKey: .customerGroup)
        startsAt = try container.decodeTimestampIfPresent(forKey: .startsAt)
        endsAt = try container.decodeTimestampIfPresent(forKey: .endsAt)
        type = try container.decode(PriceListType.self, forKey: .type)
        priority = try container.decodeIfPresent(Int.self, forKey: .priority) ?? 0
        prices = try container.decodeIfPresent([PriceListEntry].self, forKey: .prices) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(code, forKey: .code)
        try container.encode(channel, forKey: .channel)
        try container.encode(currency, forKey: .currency)
        try container.encode(customerGroup, forKey: .customerGroup)
        try container.encodeTimestamp(startsAt, forKey: .startsAt)
        try container.encodeTimestamp(endsAt, forKey: .endsAt)
        try container.encode(type, forKey: .type)
        try container.encode(priority, forKey: .priority)
        try container.encode(prices, forKey: .prices)
    }
}
