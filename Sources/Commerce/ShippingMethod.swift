import TorsoKit

/// A way to ship an order (standard, express, pickup), its price and where it delivers.
public struct ShippingMethod: Sendable, Hashable, Codable {
    /// The method's ID.
    public var id: String
    /// A stable code (`dhl-standard`).
    public var code: String
    /// Names per locale.
    public var name: LocalizedText
    /// The channel offering it; `nil` for every channel.
    public var channel: String?
    /// Where it delivers; a country in any zone qualifies.
    public var zones: [ShippingZone]
    /// How it is priced.
    public var rate: ShippingRate
    /// The subtotal after discounts from which shipping is free (inclusive); `nil` for never.
    public var freeAbove: Int64?
    /// The tax class shipping is taxed with.
    public var taxClass: String
    /// The currency of every amount.
    public var currency: Currency

    /// Creates a shipping method.
    public init(id: String, code: String, name: LocalizedText = [:], channel: String? = nil, zones: [ShippingZone],
                rate: ShippingRate, freeAbove: Int64? = nil, taxClass: String = TaxClass.standard, currency: Currency) {
        self.id = id
        self.code = code
        self.name = name
        self.channel = channel
        self.zones = zones
        self.rate = rate
        self.freeAbove = freeAbove
        self.taxClass = taxClass
        self.currency = currency
    }

    /// Whether the method delivers to a country.
    public func delivers(to country: String) -> Bool { zones.contains { $0.contains(country: country) } }

    /// The price to ship to `country` for a subtotal after discounts and a parcel weight, or `nil`
    /// when the method does not deliver there or no tier covers the parcel. A subtotal at or
    /// above ``freeAbove`` ships free — but only where the method is available at all.
    public func quote(country: String, subtotal: Int64, weightGrams: Int) -> ShippingQuote? {
        guard delivers(to: country), let amount = rate.amount(subtotal: subtotal, weightGrams: weightGrams) else { return nil }
        let free = freeAbove.map { subtotal >= $0 } ?? false
        return ShippingQuote(methodId: id, code: code, name: name, amount: free ? 0 : amount, currency: currency, taxClass: taxClass)
    }

    enum CodingKeys: String, CodingKey {
        case id, code, name, channel, zones, rate, currency
        case freeAbove = "free_above"
        case taxClass = "tax_class"
    }
}
